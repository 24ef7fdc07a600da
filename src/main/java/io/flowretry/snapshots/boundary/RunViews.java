package io.flowretry.snapshots.boundary;

import io.flowretry.platform.control.JobExecutions;
import io.flowretry.snapshots.control.JobMetrics;
import io.flowretry.snapshots.control.Payloads;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunItem;
import jakarta.batch.runtime.JobExecution;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of retry runs and snapshots (api.md "Retry runs and snapshots"). */
public final class RunViews {

    private RunViews() {
    }

    /** One line of {@code GET /api/deployments/{id}/retry-runs}. */
    public record RunSummary(long runId, long deploymentId, String trigger, String status, String reason, String startedBy,
                             Instant slotAt, Instant startedAt, Instant finishedAt, int picked, int succeeded, int failed) {
        public static RunSummary of(RetryRun r) {
            return new RunSummary(r.getId(), r.getDeploymentId(), r.getTriggerType(), r.getStatus().name(), r.getReason(),
                    r.getStartedBy(), r.getSlotAt(), r.getStartedAt(), r.getFinishedAt(), r.getPicked(), r.getSucceeded(), r.getFailed());
        }
    }

    /** One item of a snapshot: {@code input} as read from the source, {@code override} the operator's fields put over it (or null). */
    public record ItemView(long id, long itemId, String sourceId, String outcome, String errorClass, String error,
                           Instant attemptedAt, JsonValue input, JsonValue output, JsonValue override) {
        static ItemView of(RunItem i) {
            return new ItemView(i.getId(), i.getItemId(), i.getSourceId(), i.getOutcome(), i.getErrorClass(), i.getError(),
                    i.getAttemptedAt(), Payloads.parse(i.getInputJson()), Payloads.parse(i.getOutputJson()),
                    Payloads.parse(i.getOverrideJson()));
        }
    }

    /** {@code GET /api/retry-runs/{runId}}: the run, what it ran with, its job metrics and a page of its items. */
    public record Snapshot(long runId, long deploymentId, String trigger, String status, String reason, String startedBy,
                           Instant slotAt, Instant startedAt, Instant finishedAt, Instant heartbeatAt,
                           int picked, int succeeded, int failed, int takeovers, Integer flowVersion, JsonValue config,
                           JsonValue selection, Long jobExecutionId, Map<String, Long> metrics, List<ItemView> items, String nextCursor) {

        static Snapshot of(RetryRun r, List<RunItem> page, boolean more) {
            var items = page.stream().map(ItemView::of).toList();
            String next = more && !page.isEmpty() ? String.valueOf(page.getLast().getId()) : null;
            return new Snapshot(r.getId(), r.getDeploymentId(), r.getTriggerType(), r.getStatus().name(), r.getReason(),
                    r.getStartedBy(), r.getSlotAt(), r.getStartedAt(), r.getFinishedAt(), r.getHeartbeatAt(),
                    r.getPicked(), r.getSucceeded(), r.getFailed(), r.getTakeovers(), r.getFlowVersion(),
                    Payloads.parseObject(r.getConfig()),
                    r.getSelection() == null ? null : Payloads.parse(r.getSelection()),
                    r.getJobExecutionId(), JobMetrics.of(JobExecutions.own(r.getJobExecutionId(), "runId", r.getId())
                            .map(JobExecution::getExecutionId).orElse(null)),
                    items, next);
        }
    }
}
