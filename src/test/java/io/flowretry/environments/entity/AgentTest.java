package io.flowretry.environments.entity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void an_agent_without_a_limit_serves_every_environment_new_ones_too() {
        var agent = new Agent("one", "host", "2.0", null, T0);
        assertTrue(agent.attachedTo("Production", Optional.empty()));
        assertTrue(agent.attachedTo("Created later", Optional.empty()));
    }

    @Test
    void a_limit_names_the_environments_ignoring_case_and_spaces() {
        var agent = new Agent("one", "host", "2.0", " Prod, Staging ", T0);
        assertTrue(agent.attachedTo("prod", Optional.empty()));
        assertTrue(agent.attachedTo("Staging", Optional.empty()));
        assertFalse(agent.attachedTo("Production", Optional.empty()));
    }

    @Test
    void an_admins_attach_or_detach_wins_over_the_limit() {
        var limited = new Agent("one", "host", "2.0", "Prod", T0);
        assertTrue(limited.attachedTo("Staging", Optional.of(true)));
        assertFalse(limited.attachedTo("Prod", Optional.of(false)));
    }

    @Test
    void connected_while_the_heartbeat_is_fresher_than_the_lease_then_disconnected() {
        var agent = new Agent("one", "host", "2.0", null, T0);
        assertEquals(AgentState.CONNECTED, agent.connection(T0.plus(LEASE).minusMillis(1), LEASE));
        assertEquals(AgentState.DISCONNECTED, agent.connection(T0.plus(LEASE), LEASE));
        assertEquals(AgentState.DETACHED, agent.stateIn(false, T0, LEASE));
        assertEquals(AgentState.CONNECTED, agent.stateIn(true, T0, LEASE));
    }

    @Test
    void a_restart_keeps_the_name_and_takes_the_new_limit_and_start() {
        var agent = new Agent("one", "host", "2.0", "Prod", T0);
        agent.started("host2", "2.1", "", T0.plusSeconds(60));
        assertEquals(T0.plusSeconds(60), agent.getStartedAt());
        assertEquals(T0.plusSeconds(60), agent.getLastHeartbeatAt());
        assertTrue(agent.attachedTo("Anything", Optional.empty()));
        assertEquals("one", agent.getName());
    }
}
