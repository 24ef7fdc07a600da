package io.flowretry.snapshots.control;

import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * A retry run ended (COMPLETED, FAILED or SKIPPED), with its final counts. Fired inside the ending
 * transaction: observe it {@code during = AFTER_SUCCESS} to see only ends that were committed.
 */
public record RunEnded(long runId, long deploymentId, String trigger, RunStatus status, String reason,
                       int picked, int succeeded, int failed, Instant startedAt, Instant finishedAt) {

    public static RunEnded of(RetryRun r) {
        return new RunEnded(r.getId(), r.getDeploymentId(), r.getTriggerType(), r.getStatus(), r.getReason(),
                r.getPicked(), r.getSucceeded(), r.getFailed(), r.getStartedAt(), r.getFinishedAt());
    }

    public Duration duration() {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }
}
