package io.flowretry.environments.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A server running the WAR on this database, and the rules of its state: fresh heartbeat →
 * CONNECTED, older than the lease → DISCONNECTED; for one environment, not attached → DETACHED.
 * Attached means: an admin's explicit attach or detach if there is one, else the agent's limit
 * ({@code FLOWRETRY_AGENT_ENVIRONMENTS}), else every environment (so a new environment is
 * attached to every agent without a limit, with nothing stored).
 */
@Entity
@Table(name = "agents")
@NamedQuery(name = Agent.ALL, query = "select a from Agent a order by a.name")
@NamedQuery(name = Agent.BY_NAME, query = "select a from Agent a where a.name = :name")
public class Agent extends Identified {

    public static final String ALL = "Agent.all";
    public static final String BY_NAME = "Agent.byName";

    private String name;
    private String host;
    private String version;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "last_heartbeat_at")
    private Instant lastHeartbeatAt;

    @Column(name = "environment_limit")
    private String environmentLimit;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected Agent() {
    }

    public Agent(String name, String host, String version, String environmentLimit, Instant startedAt) {
        this.name = name;
        started(host, version, environmentLimit, startedAt);
    }

    /** (Re)started now: a restarted server keeps its row (and its admin's attachments) by its name. */
    public void started(String host, String version, String environmentLimit, Instant at) {
        this.host = host;
        this.version = version;
        this.environmentLimit = environmentLimit == null || environmentLimit.isBlank() ? null : environmentLimit.trim();
        this.startedAt = at;
        this.lastHeartbeatAt = at;
    }

    /** Whether the agent serves the environment: {@code explicit} (an admin's attach/detach) wins over the limit. */
    public boolean attachedTo(String environmentName, Optional<Boolean> explicit) {
        return explicit.orElseGet(() -> environmentLimit == null
                || Arrays.stream(environmentLimit.split(",")).map(String::trim).anyMatch(environmentName::equalsIgnoreCase));
    }

    /** CONNECTED or DISCONNECTED by the heartbeat's age at {@code now}. */
    public AgentState connection(Instant now, Duration lease) {
        return lastHeartbeatAt != null && lastHeartbeatAt.isAfter(now.minus(lease)) ? AgentState.CONNECTED : AgentState.DISCONNECTED;
    }

    /** The agent's state for one environment: DETACHED when not attached, else by its heartbeat. */
    public AgentState stateIn(boolean attached, Instant now, Duration lease) {
        return attached ? connection(now, lease) : AgentState.DETACHED;
    }

    public String getName() {
        return name;
    }

    public String getHost() {
        return host;
    }

    public String getVersion() {
        return version;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getLastHeartbeatAt() {
        return lastHeartbeatAt;
    }

    public String getEnvironmentLimit() {
        return environmentLimit;
    }
}
