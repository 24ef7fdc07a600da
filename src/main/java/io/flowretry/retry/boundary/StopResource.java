package io.flowretry.retry.boundary;

import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/retry-runs/{runId}/stop}: asks a STARTED run's job to stop after its current
 * chunk, or ends at once a run whose server died; the run then ends FAILED ("stopped") and can be
 * restarted. 409 for a run not STARTED, or one still going on another server.
 */
@Path("retry-runs/{runId}/stop")
@Produces(MediaType.APPLICATION_JSON)
public class StopResource {

    @Inject
    RetryRuns retryRuns;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response stop(@PathParam("runId") long runId) {
        retryRuns.stop(runId);
        return Response.accepted(new RetryRunsResource.RunStarted(runId)).build();
    }
}
