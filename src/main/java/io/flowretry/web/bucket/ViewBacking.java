package io.flowretry.web.bucket;

import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.control.BucketQueries.Filter;
import io.flowretry.bucket.control.BucketQueries.Total;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.boundary.NotFoundException;
import io.flowretry.retry.boundary.RetryRuns;
import io.flowretry.retry.control.BucketClaims;
import io.flowretry.retry.control.Selection;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.primefaces.PrimeFaces;
import org.primefaces.component.datatable.DataTable;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Resync Bucket window ({@code bucket/view.xhtml?deployment=}): the deployment's bucket,
 * filtered by source id prefix and status, paged on the server ({@link BucketRows}). Operators and
 * admins select rows (on the page, or all matching the filter) and RESYNC them: a manual retry
 * run whose counters the page polls until it ends, then it shows the refreshed rows.
 */
@Named("bucketView")
@ViewScoped
public class ViewBacking implements Serializable {

    /** The run started by RESYNC, as the progress bar shows it. */
    public record Progress(long runId, RunStatus status, int picked, int succeeded, int failed, Total expected, String reason)
            implements Serializable {

        boolean running() {
            return status == RunStatus.STARTED;
        }

        /**
         * 100 once ended; below 100 while running (the selection may shrink when items are gone);
         * unknown (the bar is indeterminate) when the selection was counted only up to the limit.
         */
        int percent() {
            if (!running()) {
                return 100;
            }
            return expected.count() <= 0 ? 0 : (int) Math.min(99, picked * 100 / expected.count());
        }

        public boolean indeterminate() {
            return running() && !expected.exact();
        }
    }

    /** One attempt of the expanded row's timeline. */
    public record AttemptRow(Instant at, String trigger, String outcome, String errorClass, String error, Long runId)
            implements Serializable {
        static AttemptRow of(Attempt a) {
            return new AttemptRow(a.getAttemptedAt(), a.getTrigger().name(), a.getOutcome().name(),
                    a.getErrorClass() == null ? null : a.getErrorClass().name(), a.getError(), a.getRunId());
        }
    }

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    ProcessFlows flows;

    @Inject
    BucketQueries queries;

    @Inject
    BucketClaims claims;

    @Inject
    RetryRuns retryRuns;

    @Inject
    Snapshots snapshots;

    @Inject
    UserBacking user;

    private Long deploymentId;
    private long environmentId;
    private String flowName;
    private String flowDescription;
    private String environmentName;
    private String timeZone;

    private String sourceId;
    private BucketStatus status = BucketStatus.FAILED;
    private BucketRows rows;
    private List<BucketRow> selected = new ArrayList<>();
    private boolean allMatching;
    private Total resyncable;
    private Progress progress;
    private final Map<Long, List<AttemptRow>> attempts = new HashMap<>();

    /** View action: the deployment named by {@code ?deployment=}; unknown → the environments list. */
    public String load() {
        var deployment = deploymentId == null ? null : deployments.find(deploymentId).orElse(null);
        if (deployment == null) {
            Messages.error("No deployment " + deploymentId);
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        var flow = flows.get(deployment.getFlowId());
        var environment = environments.get(deployment.getEnvironmentId());
        environmentId = environment.getId();
        flowName = flow.getName();
        flowDescription = flow.getDescription();
        environmentName = environment.getName();
        timeZone = environment.getTimeZone().getId();
        rows = new BucketRows(queries, deploymentId, filter());
        return null;
    }

    private Filter filter() {
        var prefix = sourceId == null || sourceId.isBlank() ? null : sourceId.trim();
        return new Filter(prefix, status);
    }

    /** Filter button, Enter in the Source ID field, or a new status: page 1 of the new filter, nothing selected. */
    public void applyFilter() {
        rows.filter(filter());
        clearSelection();
        firstPage();
    }

    public void refresh() {
        rows.refresh();
        resyncable = null;
        attempts.clear();
    }

    private void firstPage() {
        var table = (DataTable) FacesContext.getCurrentInstance().getViewRoot().findComponent(":bucket:items");
        if (table != null) {
            table.setFirst(0);
        }
    }

    public void selectAllMatching() {
        allMatching = true;
    }

    public void clearSelection() {
        selected = new ArrayList<>();
        allMatching = false;
        resyncable = null;
    }

    /**
     * How many items "all matching" resyncs: the filter's total, but only the failed ones when the
     * status filter is "All" (a filtered RESYNC takes FAILED unless SUCCESS is asked for).
     */
    public Total getResyncable() {
        if (resyncable == null) {
            var shown = rows.filter();
            resyncable = shown.status() == null
                    ? queries.count(deploymentId, new Filter(shown.sourceIdPrefix(), BucketStatus.FAILED))
                    : rows.total();
        }
        return resyncable;
    }

    /** RESYNC: a manual run of the selected rows, or of everything matching the filter. */
    public void resync() {
        user.requireOperator();
        if (!allMatching && selected.isEmpty()) {
            Messages.error("Select the records to resync first");
            return;
        }
        try {
            Selection selection;
            Total expected;
            if (allMatching) {
                var shown = rows.filter(); // what the table shows, not what was typed since
                selection = Selection.filter(shown.sourceIdPrefix(), shown.status() == null ? null : shown.status().name());
                expected = getResyncable();
            } else {
                var ids = selected.stream().map(BucketRow::id).distinct().toList();
                if (!claims.unknownIds(deploymentId, ids).isEmpty()) {
                    Messages.error("Some selected records are not in this bucket any more; refresh and select again");
                    return;
                }
                selection = Selection.ids(ids);
                expected = new Total(ids.size(), true);
            }
            long runId = retryRuns.resync(deploymentId, selection, user.getName());
            progress = progressOf(snapshots.get(runId), expected);
            Messages.info("Resync run " + runId + " started for " + expected.text() + " record"
                    + (expected.exact() && expected.count() == 1 ? "" : "s"));
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    /** The poll: reads the run's counters; once it has ended, shows the refreshed rows. */
    public void poll() {
        if (progress == null || !progress.running()) {
            return;
        }
        progress = progressOf(snapshots.get(progress.runId()), progress.expected());
        if (!progress.running()) {
            clearSelection();
            refresh();
            PrimeFaces.current().ajax().update("bucket:items", "bucket:selectionBar");
            Messages.info("Resync run " + progress.runId() + " " + progress.status().name().toLowerCase()
                    + ": " + progress.succeeded() + " succeeded, " + progress.failed() + " failed");
        }
    }

    private static Progress progressOf(RetryRun run, Total expected) {
        return new Progress(run.getId(), run.getStatus(), run.getPicked(), run.getSucceeded(), run.getFailed(), expected,
                run.getReason());
    }

    /** The attempts timeline of an expanded row, oldest first (read once per row until the next refresh). */
    public List<AttemptRow> attempts(long itemId) {
        return attempts.computeIfAbsent(itemId, id -> queries.attempts(id).stream().map(AttemptRow::of).toList());
    }

    public boolean isRunning() {
        return progress != null && progress.running();
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

    public String getFlowDescription() {
        return flowDescription;
    }

    public String getEnvironmentName() {
        return environmentName;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public String getSourceId() {
        return sourceId;
    }

    public void setSourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    public BucketStatus getStatus() {
        return status;
    }

    public void setStatus(BucketStatus status) {
        this.status = status;
    }

    public BucketRows getRows() {
        return rows;
    }

    public Total getTotal() {
        return rows.total();
    }

    public List<BucketRow> getSelected() {
        return selected;
    }

    public void setSelected(List<BucketRow> selected) {
        this.selected = selected == null ? new ArrayList<>() : new ArrayList<>(selected);
    }

    /** Whether the status filter is "All" (a filtered RESYNC then takes the failed records only). */
    public boolean isAllStatuses() {
        return rows.filter().status() == null;
    }

    public boolean isAllMatching() {
        return allMatching;
    }

    public Progress getProgress() {
        return progress;
    }

    public int getProgressPercent() {
        return progress == null ? 0 : progress.percent();
    }
}
