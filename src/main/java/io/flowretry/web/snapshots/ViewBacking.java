package io.flowretry.web.snapshots;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RunItem;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.retry.boundary.RetryRuns;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A run's snapshot ({@code snapshots/view.xhtml?run=}): the settings and flow version it ran
 * with, and each item's outcome, input and output, {@value #PAGE} at a time (keyset on the item id).
 * While the run runs the page polls its status and counts, and operators may stop it.
 */
@Named("snapshotView")
@ViewScoped
public class ViewBacking implements Serializable {

    static final int PAGE = 50;

    /** One item of the run. */
    public record ItemRow(long id, long itemId, String sourceId, String outcome, String errorClass, String error,
                          Instant attemptedAt, String input, String output, String override) implements Serializable {
        static ItemRow of(RunItem i) {
            return new ItemRow(i.getId(), i.getItemId(), i.getSourceId(), i.getOutcome(), i.getErrorClass(), i.getError(),
                    i.getAttemptedAt(), i.getInputJson(), i.getOutputJson(), i.getOverrideJson());
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

    @Inject
    RetryRuns retryRuns;

    @Inject
    UserBacking user;

    private Long runId;
    private ListBacking.RunRow run;
    private long deploymentId;
    private String flowName;
    private String environmentName;
    private String timeZone;
    private Integer flowVersion;
    private String config;
    private String selection;
    private List<ItemRow> items = List.of();
    private boolean more;
    private boolean failedOnly;
    /** the item id each shown page starts after (top = the current page) */
    private final Deque<Long> pageStarts = new ArrayDeque<>();

    public String load() {
        var found = runId == null ? null : snapshots.find(runId).orElse(null);
        if (found == null) {
            Messages.error("No retry run " + runId);
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        run = ListBacking.RunRow.of(found);
        deploymentId = found.getDeploymentId();
        flowVersion = found.getFlowVersion();
        config = found.getConfig();
        selection = found.getSelection();
        var deployment = deployments.get(deploymentId);
        flowName = flows.get(deployment.getFlowId()).getName();
        var environment = environments.get(deployment.getEnvironmentId());
        environmentName = environment.getName();
        timeZone = environment.getTimeZone().getId();
        pageStarts.clear();
        show(0L);
        return null;
    }

    /** The poll while the run runs: its status and counts read again; the items once it has ended. */
    public void poll() {
        snapshots.find(runId).ifPresent(found -> {
            boolean wasRunning = isRunning();
            run = ListBacking.RunRow.of(found);
            if (wasRunning && !isRunning()) {
                pageStarts.clear();
                show(0L);
            }
        });
    }

    public boolean isRunning() {
        return run != null && "run-running".equals(run.outcome());
    }

    /** Stop: the run stops after its current chunk, wherever it runs. */
    public void stop() {
        user.requireOperator();
        try {
            retryRuns.stop(runId);
            Messages.info("Run " + runId + " stops after its current chunk");
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    private void show(long after) {
        var page = snapshots.items(runId, after, PAGE + 1, failedOnly ? "FAILED" : null);
        more = page.size() > PAGE;
        items = (more ? page.subList(0, PAGE) : page).stream().map(ItemRow::of).toList();
        pageStarts.push(after);
    }

    /** The "Failed items only" box changed: its first page. */
    public void filterItems() {
        pageStarts.clear();
        show(0L);
    }

    public boolean isFailedOnly() {
        return failedOnly;
    }

    public void setFailedOnly(boolean failedOnly) {
        this.failedOnly = failedOnly;
    }

    public void next() {
        if (more && !items.isEmpty()) {
            show(items.getLast().id());
        }
    }

    public void previous() {
        if (pageStarts.size() > 1) {
            pageStarts.pop();
            show(pageStarts.pop());
        }
    }

    public boolean isFirstPage() {
        return pageStarts.size() <= 1;
    }

    public Long getRunId() {
        return runId;
    }

    public void setRunId(Long runId) {
        this.runId = runId;
    }

    public ListBacking.RunRow getRun() {
        return run;
    }

    public long getDeploymentId() {
        return deploymentId;
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

    public Integer getFlowVersion() {
        return flowVersion;
    }

    public String getConfig() {
        return config;
    }

    public String getSelection() {
        return selection;
    }

    public List<ItemRow> getItems() {
        return items;
    }

    public boolean isMore() {
        return more;
    }
}
