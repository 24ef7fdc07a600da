package io.flowretry.kernel;

/**
 * Why a record failed.
 * <ul>
 * <li>{@link #DATA}: the record itself is invalid (mapping, constraint); may succeed once the
 * source data is fixed.</li>
 * <li>{@link #TRANSIENT}: the destination or network failed; a later attempt may succeed.</li>
 * <li>{@link #SOURCE_MISSING}: the record no longer exists in the source; automatic retries
 * skip it (a manual resync still may try).</li>
 * </ul>
 */
public enum ErrorClass {
    DATA,
    TRANSIENT,
    SOURCE_MISSING
}
