package io.flowretry.bucket.entity;

/**
 * The orders of the bucket view ({@code sort=} of the API, the console's Order menu); each but
 * {@link #SOURCE_ID} is by its key, then by source id. Which order serves which filter is
 * {@link BucketFilter#invalid()}; the SQL of each is {@code bucket.control.BucketQueries}'.
 */
public enum BucketSort {
    SOURCE_ID,
    /** FAILED before SUCCESS */
    STATUS,
    /** the last attempt, newest first */
    TIMESTAMP,
    /** the most tries first */
    TRIES
}
