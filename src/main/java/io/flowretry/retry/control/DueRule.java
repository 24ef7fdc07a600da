package io.flowretry.retry.control;

import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.ErrorClass;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a bucket record is picked by the automatic retry.
 * <ul>
 * <li>A record becomes due {@code timeLapseMinutes} after its last attempt
 * ({@link #dueAt}); this is the value to store and index.</li>
 * <li>A retry run at {@code runTime} picks a record iff it is {@link BucketStatus#FAILED},
 * has fewer than {@link #MAX_AUTO_TRIES} automatic tries, did not fail because the record is
 * gone from the source ({@link ErrorClass#SOURCE_MISSING}), and {@code dueAt <= runTime}.</li>
 * <li>After {@link #MAX_AUTO_TRIES} automatic tries the record is exhausted: only a manual
 * resync touches it again.</li>
 * </ul>
 */
public final class DueRule {

    /** Automatic tries per record; after that only a manual resync retries it. */
    public static final int MAX_AUTO_TRIES = 4;

    private DueRule() {
    }

    /**
     * The moment a record becomes due: its last attempt plus the time lapse.
     *
     * @throws IllegalArgumentException if {@code timeLapseMinutes} is negative
     */
    public static Instant dueAt(Instant lastAttemptAt, int timeLapseMinutes) {
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        if (timeLapseMinutes < 0) {
            throw new IllegalArgumentException("timeLapseMinutes must be >= 0, was " + timeLapseMinutes);
        }
        return lastAttemptAt.plus(Duration.ofMinutes(timeLapseMinutes));
    }

    /**
     * Whether the automatic retry running at {@code runTime} picks the record.
     * A {@code null} error class (not classified) does not prevent the retry.
     */
    public static boolean isAutoDue(BucketStatus status, int autoTries, ErrorClass errorClass, Instant dueAt, Instant runTime) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(runTime, "runTime");
        return status == BucketStatus.FAILED
                && !autoExhausted(autoTries)
                && errorClass != ErrorClass.SOURCE_MISSING
                && !dueAt.isAfter(runTime);
    }

    /** Whether the record has used up its automatic tries. */
    public static boolean autoExhausted(int autoTries) {
        return autoTries >= MAX_AUTO_TRIES;
    }
}
