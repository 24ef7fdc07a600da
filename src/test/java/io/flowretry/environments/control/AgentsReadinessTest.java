package io.flowretry.environments.control;

import io.flowretry.environments.entity.Agent;
import io.flowretry.environments.entity.AgentState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentsReadinessTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void up_with_a_fresh_own_heartbeat_and_the_fleets_counts() {
        var self = new Agent("here:8080", "here", "2.0", null, T0);
        var stale = new Agent("gone:8080", "gone", "2.0", null, T0.minus(LEASE));
        var r = AgentsReadiness.of(Optional.of(self), List.of(self, stale), T0.plusSeconds(5), LEASE);
        assertTrue(r.up());
        assertNull(r.reason());
        assertEquals("here:8080", r.name());
        assertEquals(AgentState.CONNECTED, r.state());
        assertEquals(1, r.connected());
        assertEquals(1, r.disconnected());
    }

    @Test
    void down_when_the_own_heartbeat_is_older_than_the_lease() {
        var self = new Agent("here:8080", "here", "2.0", null, T0);
        var r = AgentsReadiness.of(Optional.of(self), List.of(self), T0.plus(LEASE), LEASE);
        assertFalse(r.up());
        assertEquals(AgentState.DISCONNECTED, r.state());
        assertTrue(r.reason().contains("here:8080") && r.reason().contains("heartbeat"), r.reason());
        assertEquals(0, r.connected());
        assertEquals(1, r.disconnected());
    }

    @Test
    void down_when_this_servers_agent_is_not_registered() {
        var other = new Agent("other:8080", "other", "2.0", null, T0);
        var r = AgentsReadiness.of(Optional.empty(), List.of(other), T0, LEASE);
        assertFalse(r.up());
        assertTrue(r.reason().contains("not registered"), r.reason());
        assertNull(r.name());
        assertEquals(1, r.connected());
    }
}
