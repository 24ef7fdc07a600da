package io.flowretry.environments.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The agents (servers) sharing this database: {@code GET /api/agents}. */
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentsResource {

    public record AgentEnvironment(long id, String name, boolean attached) {
    }

    public record AgentView(long id, String name, String host, String version, String state, Instant startedAt,
                            Instant lastHeartbeatAt, List<AgentEnvironment> environments) {
        static AgentView of(Environments.AgentStatus s) {
            var a = s.agent();
            return new AgentView(a.getId(), a.getName(), a.getHost(), a.getVersion(), s.state().name(), a.getStartedAt(),
                    a.getLastHeartbeatAt(), s.attached().entrySet().stream()
                    .map(e -> new AgentEnvironment(e.getKey().getId(), e.getKey().getName(), e.getValue())).toList());
        }
    }

    @Inject
    Environments environments;

    @GET
    public List<AgentView> list() {
        return environments.agents().stream().map(AgentView::of).toList();
    }
}
