package io.flowretry.web.environments;

import io.flowretry.deployments.boundary.BucketCounts;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.executions.boundary.Executions;
import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
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
 * actions menu (Retry, Execute now, Redeploy, Snapshots). While an execution runs the tab polls
 * (every 2 s, "Auto-refresh", on by default) until none runs.
 */
@Named("environmentView")
@ViewScoped
public class ViewBacking implements Serializable {

    /** One line of the Process Flows tab. {@code nextRunAt} is null for a manual retry. */
    public record FlowRow(long deploymentId, long flowId, String name, String description, int flowVersion,
                          Instant deployedAt, RetryMode retryMode, Instant nextRunAt, long failed,
                          String lastExecution, boolean running) implements Serializable {
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
    UserBacking user;

    private Long id;
    private String name;
    private String description;
    private String timeZone;
    private boolean active;
    private List<FlowRow> flowRows = List.of();
    private List<AgentRow> agentRows = List.of();
    private boolean runnable;
    private String tab;
    private int activeIndex;
    private String reason;
    private boolean autoRefresh = true;

    /** One line of the Agents tab: the agent's state in this environment and whether it is attached. */
    public record AgentRow(long id, String name, String host, String version, String state, Instant lastHeartbeatAt,
                           boolean attached) implements Serializable {
    }

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
        var health = environments.health(id);
        runnable = health.runnable();
        reason = health.reason();
        agentRows = environments.agents().stream().map(a -> {
            boolean attached = a.attached().entrySet().stream().anyMatch(e -> e.getKey().getId().equals(id) && e.getValue());
            var state = !attached ? "DETACHED" : a.state().name().equals("DETACHED") ? "CONNECTED" : a.state().name();
            return new AgentRow(a.agent().getId(), a.agent().getName(), a.agent().getHost(), a.agent().getVersion(), state,
                    a.agent().getLastHeartbeatAt(), attached);
        }).toList();
        var counts = deployments.bucketCounts(id);
        flowRows = deployments.listByEnvironment(id).stream()
                .map(d -> row(d, counts.getOrDefault(d.getId(), BucketCounts.EMPTY))).toList();
    }

    private FlowRow row(Deployment d, BucketCounts counts) {
        var flow = flows.get(d.getFlowId());
        var retry = d.getRetry().getMode();
        var latest = executions.list(d.getId(), 1).stream().findFirst();
        var last = latest.map(ViewBacking::summary).orElse("never executed");
        boolean running = latest.map(x -> x.getStatus() == ExecutionStatus.STARTED).orElse(false);
        return new FlowRow(d.getId(), d.getFlowId(), flow.getName(), flow.getDescription(), d.getFlowVersion(),
                d.getDeployedAt(), retry, retry == RetryMode.AUTO ? d.getNextRunAt() : null, counts.failed(), last, running);
    }

    private static String summary(Execution e) {
        return e.getStatus() + " (read " + e.getReadCount() + ", failed " + e.getFailed() + ")";
    }

    public void refresh() {
        show(environments.get(id));
    }

    /** The poll runs while auto-refresh is on and an execution of a flow here runs. */
    public boolean isPolling() {
        return autoRefresh && flowRows.stream().anyMatch(FlowRow::running);
    }

    public boolean isAutoRefresh() {
        return autoRefresh;
    }

    public void setAutoRefresh(boolean autoRefresh) {
        this.autoRefresh = autoRefresh;
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

    /** Attach (admins): the agent runs this environment's flows again. */
    public void attach(long agentId) {
        setAttached(agentId, true);
    }

    /** Detach (admins): the agent stops running this environment's flows. */
    public void detach(long agentId) {
        setAttached(agentId, false);
    }

    private void setAttached(long agentId, boolean attached) {
        user.requireAdmin();
        try {
            var agent = environments.attach(id, agentId, attached);
            Messages.info(agent.agent().getName() + (attached ? " attached to " : " detached from ") + name);
        } catch (NotFoundException e) {
            Messages.error(e.getMessage());
        }
        refresh();
    }

    /** {@code ?tab=agents} opens the Agents tab (the banner's link). */
    public String getTab() {
        return tab;
    }

    public void setTab(String tab) {
        this.tab = tab;
        this.activeIndex = "agents".equals(tab) ? 1 : 0;
    }

    public int getActiveIndex() {
        return activeIndex;
    }

    public void setActiveIndex(int activeIndex) {
        this.activeIndex = activeIndex;
    }

    public List<AgentRow> getAgentRows() {
        return agentRows;
    }

    public boolean isRunnable() {
        return runnable;
    }

    public String getReason() {
        return reason;
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
