package io.flowretry.bucket.entity;

/**
 * State of a record in the resync bucket: its latest attempt failed or succeeded, or an operator
 * discarded it (no automatic run picks it again; a manual resync by id brings it back).
 */
public enum BucketStatus {
    FAILED,
    SUCCESS,
    DISCARDED
}
