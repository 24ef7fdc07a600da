package io.flowretry.web.environments;

import io.flowretry.deployments.boundary.BucketCounts;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.executions.boundary.Executions;
import io.flowretry.executions.control.ExecutionRecords;
import io.flowretry.executions.entity.Execution;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.boundary.NotFoundException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * An environment's page (Manage › Environment): its Process Flows tab lists the flows deployed
 * there now, with the time of deployment, the next automatic retry run, the failed count and the
 * actions menu (Retry, Execute now, Redeploy, Snapshots).
 */
@Named("environmentView")
@ViewScoped
public class ViewBacking implements Serializable {

    /** One line of the Process Flows tab. {@code nextRunAt} is null for a manual retry. */
    public record FlowRow(long deploymentId, long flowId, String name, String description, int flowVersion,
                          Instant deployedAt, RetryMode retryMode, Instant nextRunAt, long failed,
                          String lastExecution) implements Serializable {
    }

    @Inject
    Environments environments;

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @Inject
    Executions executions;

    @Inject
    ExecutionRecords executionRecords;

    @Inject
    UserBacking user;

    private Long id;
    private String name;
    private String description;
    private String timeZone;
    private boolean active;
    private List<FlowRow> flowRows = List.of();

    /** View action: loads the environment named by {@code ?id=}; unknown → back to the list with a message. */
    public String load() {
        var environment = id == null ? null : environments.find(id).orElse(null);
        if (environment == null) {
            Messages.error("No environment " + id);
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        show(environment);
        return null;
    }

    private void show(Environment environment) {
        name = environment.getName();
        description = environment.getDescription();
        timeZone = environment.getTimeZone().getId();
        active = environment.isActive();
        var counts = deployments.bucketCounts(id);
        flowRows = deployments.listByEnvironment(id).stream()
                .map(d -> row(d, counts.getOrDefault(d.getId(), BucketCounts.EMPTY))).toList();
    }

    private FlowRow row(Deployment d, BucketCounts counts) {
        var flow = flows.get(d.getFlowId());
        var retry = d.getRetry().getMode();
        var last = executionRecords.list(d.getId(), 1).stream().findFirst().map(ViewBacking::summary).orElse("never executed");
        return new FlowRow(d.getId(), d.getFlowId(), flow.getName(), flow.getDescription(), d.getFlowVersion(),
                d.getDeployedAt(), retry, retry == RetryMode.AUTO ? d.getNextRunAt() : null, counts.failed(), last);
    }

    private static String summary(Execution e) {
        return e.getStatus() + " (read " + e.getReadCount() + ", failed " + e.getFailed() + ")";
    }

    public void refresh() {
        show(environments.get(id));
    }

    /** Execute now: starts the flow's main run (operators and admins). */
    public void execute(long deploymentId) {
        user.requireOperator();
        try {
            var execution = executions.start(deploymentId, Execution.MANUAL, user.getName());
            Messages.info("Execution " + execution.getId() + " started");
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
        refresh();
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public boolean isActive() {
        return active;
    }

    public List<FlowRow> getFlowRows() {
        return flowRows;
    }
}
