package io.flowretry.deployments.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A process flow deployed to an environment: at most one row per (environment, flow), kept
 * across redeploys and undeploys so its resync bucket survives. Deployed while
 * {@code undeployedAt} is null. {@code nextRunAt} is maintained by the retry scheduler.
 */
@Entity
@Table(name = "deployments")
@NamedQuery(name = Deployment.BY_ENVIRONMENT_AND_FLOW,
        query = "select d from Deployment d where d.environmentId = :environmentId and d.flowId = :flowId")
@NamedQuery(name = Deployment.DEPLOYED_IN,
        query = "select d from Deployment d where d.environmentId = :environmentId and d.undeployedAt is null order by d.id")
@NamedQuery(name = Deployment.ALL_IN,
        query = "select d from Deployment d where d.environmentId = :environmentId order by d.id")
@NamedQuery(name = Deployment.ALL_DEPLOYED, query = "select d from Deployment d where d.undeployedAt is null order by d.id")
@NamedQuery(name = Deployment.ALL, query = "select d from Deployment d order by d.id")
public class Deployment extends Identified {

    public static final String BY_ENVIRONMENT_AND_FLOW = "Deployment.byEnvironmentAndFlow";
    public static final String DEPLOYED_IN = "Deployment.deployedIn";
    public static final String ALL_IN = "Deployment.allIn";
    public static final String ALL_DEPLOYED = "Deployment.allDeployed";
    public static final String ALL = "Deployment.all";

    @Column(name = "environment_id")
    private long environmentId;

    @Column(name = "flow_id")
    private long flowId;

    @Column(name = "flow_version")
    private int flowVersion;

    @Column(name = "first_deployed_at")
    private Instant firstDeployedAt;

    @Column(name = "deployed_at")
    private Instant deployedAt;

    @Column(name = "undeployed_at")
    private Instant undeployedAt;

    @Column(name = "deployed_by")
    private String deployedBy;

    @Embedded
    private SyncSettings sync;

    @Embedded
    private RetrySettings retry;

    @Column(name = "next_run_at")
    private Instant nextRunAt;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected Deployment() {
    }

    public Deployment(long environmentId, long flowId, int flowVersion, SyncSettings sync, RetrySettings retry,
                      String deployedBy, Instant at) {
        this.environmentId = environmentId;
        this.flowId = flowId;
        this.flowVersion = flowVersion;
        this.sync = sync;
        this.retry = retry;
        this.deployedBy = deployedBy;
        this.firstDeployedAt = at;
        this.deployedAt = at;
    }

    /** Deploys again: the given flow version, settings that are non-null replace the current ones. */
    public void redeploy(int flowVersion, SyncSettings sync, RetrySettings retry, String deployedBy, Instant at) {
        this.flowVersion = flowVersion;
        if (sync != null) {
            this.sync = sync;
        }
        if (retry != null) {
            this.retry = retry;
        }
        this.deployedBy = deployedBy;
        this.deployedAt = at;
        this.undeployedAt = null;
    }

    public void undeploy(Instant at) {
        if (undeployedAt == null) {
            undeployedAt = at;
        }
    }

    public boolean isDeployed() {
        return undeployedAt == null;
    }


    public long getEnvironmentId() {
        return environmentId;
    }

    public long getFlowId() {
        return flowId;
    }

    public int getFlowVersion() {
        return flowVersion;
    }

    public Instant getFirstDeployedAt() {
        return firstDeployedAt;
    }

    public Instant getDeployedAt() {
        return deployedAt;
    }

    public Instant getUndeployedAt() {
        return undeployedAt;
    }

    public String getDeployedBy() {
        return deployedBy;
    }

    public SyncSettings getSync() {
        return sync;
    }

    public RetrySettings getRetry() {
        return retry;
    }

    /** The next automatic retry slot, as planned by the retry scheduler; null when none is planned. */
    public Instant getNextRunAt() {
        return nextRunAt;
    }

    public void setNextRunAt(Instant nextRunAt) {
        this.nextRunAt = nextRunAt;
    }
}
