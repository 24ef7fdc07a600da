package io.flowretry.executions.entity;

/** A main run: running, finished (records that failed are in the bucket), or stopped by an error of the run itself. */
public enum ExecutionStatus {
    STARTED,
    COMPLETED,
    FAILED
}
