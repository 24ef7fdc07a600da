package io.flowretry.bucket.entity;

import java.io.Serializable;
import java.util.Locale;

/**
 * How many items match a filter: {@code count} exactly, or more than {@code count} when not
 * {@code exact}. Counts stop at {@link #COUNT_LIMIT}: an exact count would read every match.
 */
public record BucketTotal(long count, boolean exact) implements Serializable {

    /** Counts stop here: a total above it is shown as "more than 10,000". */
    public static final int COUNT_LIMIT = 10_000;

    public static BucketTotal of(long counted, long limit) {
        return counted > limit ? new BucketTotal(limit, false) : new BucketTotal(counted, true);
    }

    /** "1,234" or "more than 10,000". */
    public String text() {
        return (exact ? "" : "more than ") + String.format(Locale.ROOT, "%,d", count);
    }
}
