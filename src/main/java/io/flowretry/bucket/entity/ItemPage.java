package io.flowretry.bucket.entity;

import java.util.List;

/**
 * One page of a deployment's bucket: its items, the filter's total (null for a slice, which is
 * counted apart) and the opaque cursor of the next page (null on the last).
 */
public record ItemPage(List<BucketItem> items, BucketTotal total, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
}
