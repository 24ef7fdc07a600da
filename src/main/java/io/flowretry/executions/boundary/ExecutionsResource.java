package io.flowretry.executions.boundary;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.executions.entity.Execution;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/**
 * A deployment's main runs: start one (operator, admin) and list them (any role). Its own class
 * path, so it wins over {@code /deployments} in JAX-RS's class matching.
 */
@Path("deployments/{id}/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsResource {

    public record Started(long executionId, String status) {
    }

    public record ExecutionView(long executionId, long deploymentId, String status, String trigger, String startedBy,
                                int flowVersion, Instant startedAt, @JsonbNillable Instant finishedAt, int read, int succeeded,
                                int failed, @JsonbNillable String error, int takeovers, @JsonbNillable Instant tickAt,
                                @JsonbNillable Long agentId) {
        static ExecutionView of(Execution e) {
            return new ExecutionView(e.getId(), e.getDeploymentId(), e.getStatus().name(), e.getTrigger(), e.getStartedBy(),
                    e.getFlowVersion(), e.getStartedAt(), e.getFinishedAt(), e.getReadCount(), e.getSucceeded(),
                    e.getFailed(), e.getError(), e.getTakeovers(), e.getTickAt(), e.getAgentId());
        }
    }

    @Inject
    Executions executions;

    @Inject
    Deployments deployments;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response start(@PathParam("id") long deploymentId, @Context SecurityContext security, @Context UriInfo uri) {
        var execution = executions.start(deploymentId, Execution.MANUAL, security.getUserPrincipal().getName());
        return Response.accepted(new Started(execution.getId(), execution.getStatus().name()))
                .location(uri.getBaseUriBuilder().path("executions").path(String.valueOf(execution.getId())).build())
                .build();
    }

    /** The deployment's latest executions, newest first (at most 100). */
    @GET
    public List<ExecutionView> list(@PathParam("id") long deploymentId) {
        deployments.get(deploymentId);
        return executions.list(deploymentId, 100).stream().map(ExecutionView::of).toList();
    }
}
