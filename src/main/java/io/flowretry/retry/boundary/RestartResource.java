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
 * {@code POST /api/retry-runs/{runId}/restart}: restarts a FAILED run's job (stopped, or failed in
 * a chunk), or a STARTED run's whose server died, from its last committed chunk; a run still going
 * is left as it is. 409 for a COMPLETED or SKIPPED run. 202 {runId}.
 */
@Path("retry-runs/{runId}/restart")
@Produces(MediaType.APPLICATION_JSON)
public class RestartResource {

    @Inject
    RetryRuns retryRuns;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response restart(@PathParam("runId") long runId) {
        return Response.accepted(new RetryRunsResource.RunStarted(retryRuns.restart(runId))).build();
    }
}
