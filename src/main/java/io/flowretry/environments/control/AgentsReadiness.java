package io.flowretry.environments.control;

import io.flowretry.environments.entity.Agent;
import io.flowretry.environments.entity.AgentState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The "agents" part of readiness: UP only while this server's own agent is registered and its
 * heartbeat is fresher than the lease (by the heartbeat alone, unlike {@code Environments}, which
 * trusts its own agent: readiness is where a stalled heartbeat must show). Counts are the fleet's.
 */
public record AgentsReadiness(boolean up, String reason, String name, Long id, AgentState state, int connected, int disconnected) {

    public static AgentsReadiness of(Optional<Agent> self, List<Agent> fleet, Instant now, Duration lease) {
        int connected = (int) fleet.stream().filter(a -> a.connection(now, lease) == AgentState.CONNECTED).count();
        int disconnected = fleet.size() - connected;
        if (self.isEmpty()) {
            return new AgentsReadiness(false, "this server's agent is not registered", null, null, null, connected, disconnected);
        }
        var agent = self.get();
        var state = agent.connection(now, lease);
        var reason = state == AgentState.CONNECTED ? null
                : "this server's agent " + agent.getName() + " last sent a heartbeat at " + agent.getLastHeartbeatAt()
                        + ", longer ago than the lease (" + lease + ")";
        return new AgentsReadiness(reason == null, reason, agent.getName(), agent.getId(), state, connected, disconnected);
    }
}
