package io.flowretry.environments.boundary;

import io.flowretry.environments.boundary.AgentsResource.AgentView;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** An admin attaches ({@code POST}) or detaches ({@code DELETE}) an agent and an environment; answers the agent as it is then. */
@Path("environments/{id}/agents/{agentId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class EnvironmentAgentsResource {

    @Inject
    Environments environments;

    @POST
    public AgentView attach(@PathParam("id") long id, @PathParam("agentId") long agentId) {
        return AgentView.of(environments.attach(id, agentId, true));
    }

    @DELETE
    public AgentView detach(@PathParam("id") long id, @PathParam("agentId") long agentId) {
        return AgentView.of(environments.attach(id, agentId, false));
    }
}
