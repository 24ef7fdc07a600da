package io.flowretry.executions.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * One main run of a deployed flow over all its source records. The counts grow chunk by chunk in
 * the chunks' transactions: {@code read} = {@code succeeded} + {@code failed}. {@code trigger} is
 * {@code MANUAL} (started over the API) or {@code AUTO} (the sync timer). The read position moves
 * with the counts, so a server taking a dead execution over reads on after its last committed chunk.
 */
@Entity
@Table(name = "executions")
public class Execution extends Identified {

    /** A dead execution is resumed by a sweep at most this often, then ended FAILED with the reason. */
    public static final int MAX_TAKEOVERS = 3;

    public static final String MANUAL = "MANUAL";
    public static final String AUTO = "AUTO";

    @Column(name = "deployment_id")
    private long deploymentId;

    @Column(name = "job_execution_id")
    private Long jobExecutionId;

    /** The sync tick this AUTO execution runs for; null for one started over the API. */
    @Column(name = "tick_at")
    private Instant tickAt;

    /** The agent whose job runs it; null while it waits for an attached agent to claim it. */
    @Column(name = "agent_id")
    private Long agentId;

    @Column(name = "trigger_type")
    private String trigger;

    @Column(name = "started_by")
    private String startedBy;

    @Column(name = "flow_version")
    private int flowVersion;

    @Enumerated(EnumType.STRING)
    private ExecutionStatus status;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** Renewed by every committed chunk; a STARTED execution whose heartbeat is stale is dead. */
    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    @Column(name = "read_count")
    private int readCount;

    private int succeeded;

    private int failed;

    private String error;

    /** The last source id of the last committed chunk: a job resuming the execution reads on after it. */
    @Column(name = "read_position")
    private String readPosition;

    /** How often a live server took the execution over after its server died. */
    private int takeovers;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected Execution() {
    }

    public Execution(long deploymentId, String trigger, String startedBy, int flowVersion, Instant startedAt) {
        this(deploymentId, trigger, startedBy, flowVersion, startedAt, null, null);
    }

    /**
     * @param tickAt the sync tick it runs for, or null
     * @param agentId the agent that runs it, or null to leave it to an agent attached to its environment
     */
    public Execution(long deploymentId, String trigger, String startedBy, int flowVersion, Instant startedAt, Instant tickAt, Long agentId) {
        this.tickAt = tickAt;
        this.agentId = agentId;
        this.deploymentId = deploymentId;
        this.trigger = trigger;
        this.startedBy = startedBy;
        this.flowVersion = flowVersion;
        this.startedAt = startedAt;
        this.heartbeatAt = startedAt;
        this.status = ExecutionStatus.STARTED;
    }

    public void finish(ExecutionStatus status, String error, Instant at) {
        if (this.status == ExecutionStatus.STARTED) {
            this.status = status;
            this.error = error == null || error.length() <= 4000 ? error : error.substring(0, 4000);
            this.finishedAt = at;
        }
    }


    public long getDeploymentId() {
        return deploymentId;
    }

    public Long getJobExecutionId() {
        return jobExecutionId;
    }

    public String getTrigger() {
        return trigger;
    }

    public String getStartedBy() {
        return startedBy;
    }

    public int getFlowVersion() {
        return flowVersion;
    }

    public ExecutionStatus getStatus() {
        return status;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public int getReadCount() {
        return readCount;
    }

    public int getSucceeded() {
        return succeeded;
    }

    public int getFailed() {
        return failed;
    }

    public String getError() {
        return error;
    }

    public String getReadPosition() {
        return readPosition;
    }

    public int getTakeovers() {
        return takeovers;
    }

    public Instant getTickAt() {
        return tickAt;
    }

    public Long getAgentId() {
        return agentId;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }
}
