package io.flowretry.bucket.entity;

/** State of a record in the resync bucket: its latest attempt failed or succeeded. */
public enum BucketStatus {
    FAILED,
    SUCCESS
}
