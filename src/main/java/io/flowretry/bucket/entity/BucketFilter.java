package io.flowretry.bucket.entity;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.kernel.FieldError;

import java.util.Optional;

/**
 * What the bucket view shows and in which order, for the API and the console alike: source ids
 * starting with {@code sourceIdPrefix} (null/empty = all), of {@code status}, {@code queueState} or
 * {@code errorClass} (null = any), ordered by {@code sort} (null = {@link BucketSort#SOURCE_ID}).
 * Only one equality filter at a time, and the sorted orders only where an index serves them
 * ({@link #invalid()}).
 */
public record BucketFilter(String sourceIdPrefix, BucketStatus status, QueueState queueState, ErrorClass errorClass,
                           BucketSort sort) {

    public BucketFilter {
        sort = sort == null ? BucketSort.SOURCE_ID : sort;
    }

    public BucketFilter(String sourceIdPrefix, BucketStatus status) {
        this(sourceIdPrefix, status, null, null, BucketSort.SOURCE_ID);
    }

    /** The prefix, null when there is none. */
    public String prefix() {
        return sourceIdPrefix == null || sourceIdPrefix.isEmpty() ? null : sourceIdPrefix;
    }

    /** The order actually used: by status with an equality filter (status, queue state or error class) is by source id. */
    public BucketSort order() {
        boolean equality = status != null || queueState != null || errorClass != null;
        return sort == BucketSort.STATUS && equality ? BucketSort.SOURCE_ID : sort;
    }

    /**
     * Why no index serves this filter (then the API answers 400 and the console offers no such choice), if so:
     * the parameter to change and why.
     */
    public Optional<FieldError> invalid() {
        if (queueState != null && errorClass != null) {
            return Optional.of(new FieldError("errorClass", "cannot be combined with queueState"));
        }
        if (queueState != null && status != null) {
            return Optional.of(new FieldError("status", "cannot be combined with queueState (a queue state implies the status)"));
        }
        if (errorClass != null && status == BucketStatus.SUCCESS) {
            return Optional.of(new FieldError("errorClass", "only failed records have an error class"));
        }
        if (sort != BucketSort.SOURCE_ID && (queueState != null || errorClass != null)) {
            return Optional.of(new FieldError("sort", "must be SOURCE_ID with a queueState or errorClass filter"));
        }
        if (sort != BucketSort.SOURCE_ID && prefix() != null) {
            return Optional.of(new FieldError("sort", "must be SOURCE_ID with a sourceId filter"));
        }
        if ((sort == BucketSort.TIMESTAMP || sort == BucketSort.TRIES) && status == null) {
            return Optional.of(new FieldError("sort", "must be SOURCE_ID or STATUS over every status: the Time Stamp and Tries"
                    + " orders are kept within one status (add status=FAILED, say)"));
        }
        return Optional.empty();
    }
}
