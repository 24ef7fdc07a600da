package io.flowretry.web.snapshots;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;
import io.flowretry.web.Messages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Instant;
import java.util.List;

/**
 * Snapshots ({@code snapshots/list.xhtml?deployment=&trigger=&status=&before=}): a deployment's
 * retry runs, newest first, {@value #SHOWN} a page (keyset on the run id: {@code before} is the
 * last run id of the previous page), filtered by trigger and status.
 */
@Named("snapshotList")
@RequestScoped
public class ListBacking {

    static final int SHOWN = 50;

    /** One run: trigger, times, status, counts and why it was skipped or failed. */
    public record RunRow(long runId, String trigger, String startedBy, String status, String reason, Instant slotAt,
                         Instant startedAt, Instant finishedAt, int picked, int succeeded, int failed) {
        static RunRow of(RetryRun r) {
            return new RunRow(r.getId(), r.getTriggerType(), r.getStartedBy(), r.getStatus().name(), r.getReason(), r.getSlotAt(),
                    r.getStartedAt(), r.getFinishedAt(), r.getPicked(), r.getSucceeded(), r.getFailed());
        }

        /** "1 h 2 min", "3 min 4 s", "5.2 s"; empty while it runs or when it never started a job. */
        public String duration() {
            return duration(startedAt, finishedAt);
        }

        static String duration(Instant from, Instant to) {
            if (from == null || to == null) {
                return "";
            }
            var d = java.time.Duration.between(from, to);
            if (d.toHours() > 0) {
                return d.toHours() + " h " + d.toMinutesPart() + " min";
            }
            if (d.toMinutes() > 0) {
                return d.toMinutes() + " min " + d.toSecondsPart() + " s";
            }
            return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }

        /** Why a run that ended tried nothing: its own reason, else what the selection picks (the due rule for AUTO). */
        public String nothingPicked() {
            if (picked > 0 || !"COMPLETED".equals(status) || reason != null && !reason.isBlank()) {
                return null;
            }
            return "AUTO".equals(trigger)
                    ? "Nothing was due: a run picks FAILED records with auto tries left whose last attempt is a time lapse old;"
                    + " exhausted, parked (gone from the source), discarded and succeeded records are never picked automatically"
                    : "None of the selected records was left to resync (succeeded, gone from the bucket, or taken by another run)";
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
    private Long before;
    private String trigger;
    private String status;
    private boolean more;

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
        if (trigger != null && !List.of("AUTO", "MANUAL").contains(trigger)) {
            Messages.error("Unknown trigger '" + trigger + "' in the link: showing every trigger");
            trigger = null;
        }
        RunStatus wanted = null;
        if (status != null) {
            try {
                wanted = RunStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                Messages.error("Unknown status '" + status + "' in the link: showing every status");
                status = null;
            }
        }
        var page = snapshots.page(deploymentId, before, trigger, wanted, SHOWN + 1);
        more = page.size() > SHOWN;
        runs = (more ? page.subList(0, SHOWN) : page).stream().map(RunRow::of).toList();
        return null;
    }

    /** The run id the next (older) page starts before; null on the last page. */
    public Long getOlder() {
        return more ? runs.getLast().runId() : null;
    }

    public boolean isFirstPage() {
        return before == null;
    }

    public Long getBefore() {
        return before;
    }

    public void setBefore(Long before) {
        this.before = before;
    }

    public String getTrigger() {
        return trigger;
    }

    public void setTrigger(String trigger) {
        this.trigger = trigger == null || trigger.isBlank() ? null : trigger.trim().toUpperCase(java.util.Locale.ROOT);
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status == null || status.isBlank() ? null : status.trim().toUpperCase(java.util.Locale.ROOT);
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

    public RunStatus[] getStatuses() {
        return RunStatus.values();
    }
}
