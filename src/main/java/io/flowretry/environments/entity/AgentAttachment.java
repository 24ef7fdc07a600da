package io.flowretry.environments.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** An admin's attach ({@code attached}) or detach of one agent and one environment. */
@Entity
@Table(name = "agent_environments")
@NamedQuery(name = AgentAttachment.ALL, query = "select a from AgentAttachment a")
@NamedQuery(name = AgentAttachment.OF, query = "select a from AgentAttachment a where a.agentId = :agent and a.environmentId = :environment")
public class AgentAttachment extends Identified {

    public static final String ALL = "AgentAttachment.all";
    public static final String OF = "AgentAttachment.of";

    @Column(name = "agent_id")
    private long agentId;

    @Column(name = "environment_id")
    private long environmentId;

    private boolean attached;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected AgentAttachment() {
    }

    public AgentAttachment(long agentId, long environmentId, boolean attached) {
        this.agentId = agentId;
        this.environmentId = environmentId;
        this.attached = attached;
    }

    public long getAgentId() {
        return agentId;
    }

    public long getEnvironmentId() {
        return environmentId;
    }

    public boolean isAttached() {
        return attached;
    }

    public void setAttached(boolean attached) {
        this.attached = attached;
    }
}
