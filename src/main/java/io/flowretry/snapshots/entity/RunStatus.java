package io.flowretry.snapshots.entity;

/** A retry run's life: STARTED until its job ends COMPLETED or FAILED; SKIPPED runs never start a job. */
public enum RunStatus {
    STARTED, COMPLETED, FAILED, SKIPPED
}
