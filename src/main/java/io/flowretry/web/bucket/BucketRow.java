package io.flowretry.web.bucket;

import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.kernel.ErrorClass;

import java.io.Serializable;
import java.time.Instant;

/** One line of the Resync Bucket window; {@code exhausted} marks an item whose automatic retries are used up. */
public record BucketRow(long id, String nodeName, String sourceId, BucketStatus status, Instant timestamp, int tries,
                        int autoTries, boolean exhausted, ErrorClass errorClass, String lastError) implements Serializable {

    static BucketRow of(BucketItem b) {
        return new BucketRow(b.getId(), b.getNodeName(), b.getSourceId(), b.getStatus(), b.getLastAttemptAt(), b.getTries(),
                b.getAutoTries(), b.isExhausted(),
                b.getErrorClass(), b.getLastError());
    }
}
