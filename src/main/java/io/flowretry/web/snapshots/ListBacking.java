package io.flowretry.web.snapshots;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.web.Messages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Instant;
import java.util.List;

/** Snapshots ({@code snapshots/list.xhtml?deployment=}): a deployment's retry runs, newest first. */
@Named("snapshotList")
@RequestScoped
public class ListBacking {

    static final int SHOWN = 200;

    /** One run: trigger, times, status, counts and why it was skipped or failed. */
    public record RunRow(long runId, String trigger, String startedBy, String status, String reason, Instant slotAt,
                         Instant startedAt, Instant finishedAt, int picked, int succeeded, int failed) {
        static RunRow of(RetryRun r) {
            return new RunRow(r.getId(), r.getTriggerType(), r.getStartedBy(), r.getStatus().name(), r.getReason(), r.getSlotAt(),
                    r.getStartedAt(), r.getFinishedAt(), r.getPicked(), r.getSucceeded(), r.getFailed());
        }

        /** The CSS class of the run's outcome: {@link #outcome(String, int, int)}. */
        public String outcome() {
            return outcome(status, succeeded, failed);
        }

        /**
         * How a run ended for its records, as the pages colour it: {@code run-failed} (red) when it
         * failed or every record it tried failed — a COMPLETED run whose records all failed did not
         * succeed at anything; {@code run-partial} (amber) when some failed; {@code run-ok} otherwise,
         * {@code run-running} while it runs.
         */
        public static String outcome(String status, int succeeded, int failed) {
            if ("STARTED".equals(status) || "PAUSED".equals(status)) {
                return "run-running";
            }
            if ("FAILED".equals(status) || failed > 0 && succeeded == 0) {
                return "run-failed";
            }
            return failed > 0 ? "run-partial" : "run-ok";
        }
    }

    @Inject
    Snapshots snapshots;

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @Inject
    Environments environments;

    private Long deploymentId;
    private long environmentId;
    private String flowName;
    private String environmentName;
    private String timeZone;
    private List<RunRow> runs = List.of();

    public String load() {
        var deployment = deploymentId == null ? null : deployments.find(deploymentId).orElse(null);
        if (deployment == null) {
            Messages.error("No deployment " + deploymentId);
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        var environment = environments.get(deployment.getEnvironmentId());
        environmentId = environment.getId();
        environmentName = environment.getName();
        timeZone = environment.getTimeZone().getId();
        flowName = flows.get(deployment.getFlowId()).getName();
        runs = snapshots.list(deploymentId, SHOWN).stream().map(RunRow::of).toList();
        return null;
    }

    public Long getDeploymentId() {
        return deploymentId;
    }

    public void setDeploymentId(Long deploymentId) {
        this.deploymentId = deploymentId;
    }

    public long getEnvironmentId() {
        return environmentId;
    }

    public String getFlowName() {
        return flowName;
    }

    public String getEnvironmentName() {
        return environmentName;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public List<RunRow> getRuns() {
        return runs;
    }

    public int getShown() {
        return SHOWN;
    }
}
