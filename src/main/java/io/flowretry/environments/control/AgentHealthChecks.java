package io.flowretry.environments.control;

import io.flowretry.environments.entity.Agent;
import io.flowretry.platform.control.RunLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.util.Optional;

/**
 * Produces the "agents" readiness check here, not in platform's {@code HealthChecks}, so that
 * platform does not depend on environments. Produced (no bean implements {@code HealthCheck}) and
 * left out by beans.xml where MicroProfile Health is missing, for the reasons {@code HealthChecks} gives.
 */
@ApplicationScoped
public class AgentHealthChecks {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    RunLease lease;

    @Inject
    AgentRegistry registry;

    /** Created with the application: WildFly asks for health from a management thread. */
    void createdAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    }

    @Produces
    @Readiness
    HealthCheck agents() {
        return () -> {
            try {
                var fleet = em.createNamedQuery(Agent.ALL, Agent.class).getResultList();
                long id = registry.agentId();
                var self = fleet.stream().filter(a -> a.getId() == id).findFirst();
                return response(AgentsReadiness.of(self, fleet, clock.instant(), lease.duration()));
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("agents").down().withData("error", String.valueOf(e.getMessage())).build();
            }
        };
    }

    private static HealthCheckResponse response(AgentsReadiness r) {
        var builder = HealthCheckResponse.named("agents").status(r.up())
                .withData("connected", r.connected()).withData("disconnected", r.disconnected());
        Optional.ofNullable(r.name()).ifPresent(n -> builder.withData("name", n));
        Optional.ofNullable(r.id()).ifPresent(i -> builder.withData("id", i));
        Optional.ofNullable(r.state()).ifPresent(s -> builder.withData("state", s.name()));
        Optional.ofNullable(r.reason()).ifPresent(why -> builder.withData("reason", why));
        return builder.build();
    }
}
