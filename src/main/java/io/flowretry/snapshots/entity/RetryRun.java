package io.flowretry.snapshots.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * One retry run of a deployment (AUTO from the schedule or "run now", MANUAL from a RESYNC) and
 * the head of its snapshot. A scheduled run carries its {@code slotAt}: the row is the slot's
 * claim (unique per deployment and slot), so two servers sharing the database run a slot once.
 * Counters are cumulative over restarts of the run's job; {@code heartbeatAt} moves with every
 * committed chunk (and with each sweep of the server its job runs on), so a run whose heartbeat is
 * stale is known dead: a sweep takes it over at most {@value #MAX_TAKEOVERS} times, then ends it.
 */
@Entity
@Table(name = "retry_runs")
@NamedQuery(name = RetryRun.BY_DEPLOYMENT,
        query = "select r from RetryRun r where r.deploymentId = :deploymentId order by r.deploymentId desc, r.id desc")
@NamedQuery(name = RetryRun.LIVE_OF_DEPLOYMENT,
        query = "select r from RetryRun r where r.deploymentId = :deploymentId and r.status = :status"
                + " and r.heartbeatAt > :freshAfter and r.id <> :except")
@NamedQuery(name = RetryRun.LIVE,
        query = "select r from RetryRun r where r.status = :status and r.heartbeatAt > :freshAfter order by r.id")
@NamedQuery(name = RetryRun.STALE,
        query = "select r from RetryRun r where r.status = :status and r.heartbeatAt < :staleBefore order by r.id")
public class RetryRun extends Identified {

    public static final String BY_DEPLOYMENT = "RetryRun.byDeployment";
    public static final String LIVE_OF_DEPLOYMENT = "RetryRun.liveOfDeployment";
    public static final String STALE = "RetryRun.stale";
    public static final String LIVE = "RetryRun.live";

    /** How often a run whose server died is resumed by another server before it ends FAILED. */
    public static final int MAX_TAKEOVERS = 3;

    /** Who started a scheduled run. */
    public static final String SCHEDULE = "schedule";

    @Column(name = "deployment_id")
    private long deploymentId;

    /** AUTO or MANUAL (the bucket's trigger names). */
    @Column(name = "trigger_type")
    private String triggerType;

    @Column(name = "started_by")
    private String startedBy;

    @Enumerated(EnumType.STRING)
    private RunStatus status;

    private String reason;

    @Column(name = "slot_at")
    private Instant slotAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    @Column(name = "flow_version")
    private Integer flowVersion;

    /** The retry settings used, as JSON. */
    private String config;

    /** MANUAL: what was chosen ({"itemIds": [...]} or {"filter": {...}}), as JSON. */
    private String selection;

    @Column(name = "job_execution_id")
    private Long jobExecutionId;

    /** Where the run's reader stands after its last committed chunk (see ReadPosition); null before the first. */
    @Column(name = "read_position")
    private String readPosition;

    /** How often a sweep took the run over from a server that died. */
    private int takeovers;

    /** A stop posted to some agent: the agent running the run stops at its next chunk. */
    @Column(name = "stop_requested")
    private boolean stopRequested;

    /** Moves with every restart, takeover or resume: an agent that worked an earlier generation may join again. */
    private int generation;

    private int picked;
    private int succeeded;
    private int failed;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected RetryRun() {
    }

    public RetryRun(long deploymentId, String triggerType, String startedBy, RunStatus status, Instant slotAt,
                    Instant startedAt, Integer flowVersion, String config, String selection) {
        this.deploymentId = deploymentId;
        this.triggerType = triggerType;
        this.startedBy = startedBy;
        this.status = status;
        this.slotAt = slotAt;
        this.startedAt = startedAt;
        this.heartbeatAt = startedAt;
        this.flowVersion = flowVersion;
        this.config = config;
        this.selection = selection;
    }


    public long getDeploymentId() {
        return deploymentId;
    }

    public String getTriggerType() {
        return triggerType;
    }

    public String getStartedBy() {
        return startedBy;
    }

    public RunStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public Instant getSlotAt() {
        return slotAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
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

    /**
     * Not to be started: another run of the deployment is still going. A scheduled run is stored
     * so (its row still claims the slot); the reason names the live run.
     */
    public void skip(String reason, Instant at) {
        this.status = RunStatus.SKIPPED;
        this.reason = reason;
        this.finishedAt = at;
    }

    public boolean isStopRequested() {
        return stopRequested;
    }

    public int getGeneration() {
        return generation;
    }

    public int getTakeovers() {
        return takeovers;
    }

    public Long getJobExecutionId() {
        return jobExecutionId;
    }

    public String getReadPosition() {
        return readPosition;
    }

    public void setJobExecutionId(Long jobExecutionId) {
        this.jobExecutionId = jobExecutionId;
    }

    public int getPicked() {
        return picked;
    }

    public int getSucceeded() {
        return succeeded;
    }

    public int getFailed() {
        return failed;
    }
}
