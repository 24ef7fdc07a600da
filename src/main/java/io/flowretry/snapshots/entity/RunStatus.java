package io.flowretry.snapshots.entity;

/**
 * A retry run's life: STARTED until its job ends COMPLETED or FAILED; SKIPPED runs never start a job;
 * PAUSED: an app of the flow is DOWN, the run resumes by itself (STARTED again) once it is UP.
 */
public enum RunStatus {
    STARTED, COMPLETED, FAILED, SKIPPED, PAUSED
}
