package io.flowretry.web.bucket;

import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.bucket.entity.QueueState;

import java.io.Serializable;
import java.time.Instant;

/**
 * One line of the Resync Bucket window; {@code exhausted} marks an item whose automatic retries are
 * used up; {@code dueAt} (with the deployment's time lapse now) is shown only for an item the automatic
 * retry will still pick (QUEUED).
 */
public record BucketRow(long id, String nodeName, String sourceId, BucketStatus status, QueueState queueState,
                        Instant timestamp, Instant dueAt, int tries, int autoTries, boolean exhausted, ErrorClass errorClass,
                        String lastError) implements Serializable {

    public static final int MAX_AUTO_TRIES = BucketItem.MAX_AUTO_TRIES;

    static BucketRow of(BucketItem b, int timeLapseMinutes) {
        return new BucketRow(b.getId(), b.getNodeName(), b.getSourceId(), b.getStatus(), b.getQueueState(), b.getLastAttemptAt(),
                b.getQueueState() == QueueState.QUEUED ? b.dueAt(timeLapseMinutes) : null, b.getTries(), b.getAutoTries(),
                b.isExhausted(), b.getErrorClass(), b.getLastError());
    }

    public int maxAutoTries() {
        return MAX_AUTO_TRIES;
    }
}
