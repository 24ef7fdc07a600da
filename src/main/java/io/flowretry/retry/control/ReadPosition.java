package io.flowretry.retry.control;

import java.io.Serializable;
import java.time.Instant;

/**
 * Where a resync job's reader stands: the key of the last item it handed out (DUE: last attempt
 * and id; IDS: id; FILTER: source id). It is the run's checkpoint, stored as {@link #text()} in the
 * run's row with each chunk's outcomes, in the chunk's transaction: a restarted run reads on after
 * it and never sees a committed item again.
 */
public record ReadPosition(Instant attemptAt, long id, String sourceId) implements Serializable {

    public static final ReadPosition START = new ReadPosition(Instant.EPOCH, 0, "");

    /** {@code attemptAt|id|sourceId}; the source id comes last, so it may contain the separator. */
    public String text() {
        return attemptAt + "|" + id + "|" + sourceId;
    }

    /** The position a {@link #text()} describes; {@link #START} for null (no chunk committed yet). */
    public static ReadPosition parse(String text) {
        if (text == null) {
            return START;
        }
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a read position: " + text);
        }
        return new ReadPosition(Instant.parse(parts[0]), Long.parseLong(parts[1]), parts[2]);
    }
}
