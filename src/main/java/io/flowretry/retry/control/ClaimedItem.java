package io.flowretry.retry.control;

import io.flowretry.bucket.entity.BucketItem;

/**
 * A bucket item the run has claimed, with its position in the read order and, once its row is
 * locked, the item as stored (what the recorder needs; null before the lock).
 */
public record ClaimedItem(long itemId, String sourceId, ReadPosition position, BucketItem stored) {

    ClaimedItem locked(BucketItem item) {
        return new ClaimedItem(itemId, sourceId, position, item);
    }
}
