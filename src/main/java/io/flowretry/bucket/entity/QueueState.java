package io.flowretry.bucket.entity;

/**
 * Where a bucket item stands for the automatic retry; only {@link #QUEUED} items are in the due
 * index's range, so the others cost the due query nothing.
 * <ul>
 * <li>{@link #QUEUED}: failed, automatic tries left — due at {@code next_attempt_at}.</li>
 * <li>{@link #EXHAUSTED}: failed after the last automatic try; only a manual resync touches it.</li>
 * <li>{@link #PARKED}: the record is gone from the source; only a manual resync touches it.</li>
 * <li>{@link #DISCARDED}: an operator discarded it; only a manual resync by id touches it.</li>
 * <li>{@link #RESOLVED}: its latest attempt succeeded.</li>
 * </ul>
 */
public enum QueueState {
    QUEUED,
    EXHAUSTED,
    PARKED,
    DISCARDED,
    RESOLVED
}
