package io.flowretry.retry.control;

import java.io.Serializable;
import java.time.Instant;

/**
 * Where a resync job's reader stands: the key of the last item it handed out (DUE: next attempt
 * and id; IDS: id; FILTER: source id). It is the job's checkpoint: a restarted job reads on after
 * it and never sees a committed item again.
 */
public record ReadPosition(Instant nextAttemptAt, long id, String sourceId) implements Serializable {

    public static final ReadPosition START = new ReadPosition(Instant.EPOCH, 0, "");
}
