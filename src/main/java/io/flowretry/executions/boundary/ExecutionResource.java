package io.flowretry.executions.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One main run with its counts (any role). */
@Path("executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    @Inject
    Executions executions;

    @GET
    @Path("{id}")
    public ExecutionsResource.ExecutionView get(@PathParam("id") long executionId) {
        return ExecutionsResource.ExecutionView.of(executions.get(executionId));
    }
}
