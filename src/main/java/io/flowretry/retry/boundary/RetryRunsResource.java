package io.flowretry.retry.boundary;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.kernel.Roles;
import io.flowretry.kernel.Validation;
import io.flowretry.snapshots.boundary.RunViews;
import io.flowretry.snapshots.boundary.Snapshots;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;

/**
 * A deployment's retry runs: {@code GET} lists them newest first ({@code ?limit=}, default 100,
 * at most 1000); {@code POST} runs the automatic retry now (due items only, counting as auto
 * tries) and answers 202 with the run's id at once.
 */
@Path("deployments/{deploymentId}/retry-runs")
@Produces(MediaType.APPLICATION_JSON)
public class RetryRunsResource {

    public record RunStarted(long runId) {
    }

    @Inject
    Snapshots snapshots;

    @Inject
    Deployments deployments;

    @Inject
    RetryRuns retryRuns;

    @GET
    public List<RunViews.RunSummary> list(@PathParam("deploymentId") long deploymentId, @QueryParam("limit") Integer limit) {
        new Validation().range(limit, 1, 1000, "limit").throwIfInvalid();
        deployments.get(deploymentId);
        return snapshots.list(deploymentId, limit == null ? 100 : limit).stream().map(RunViews.RunSummary::of).toList();
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response runNow(@PathParam("deploymentId") long deploymentId, @Context SecurityContext security) {
        long runId = retryRuns.runNow(deploymentId, Callers.name(security));
        return Response.accepted(new RunStarted(runId)).build();
    }
}
