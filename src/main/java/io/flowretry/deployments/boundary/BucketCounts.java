package io.flowretry.deployments.boundary;

/** How many bucket items of a deployment are failed and how many succeeded (on resync). */
public record BucketCounts(long failed, long succeeded) {

    public static final BucketCounts EMPTY = new BucketCounts(0, 0);
}
