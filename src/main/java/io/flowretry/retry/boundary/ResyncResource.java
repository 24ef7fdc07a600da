package io.flowretry.retry.boundary;

import io.flowretry.bucket.boundary.BucketActions;
import io.flowretry.kernel.FieldError;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.Roles;
import io.flowretry.retry.control.Selection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The manual RESYNC: {@code {"itemIds": [...]}} (at most {@value #MAX_IDS} items of this
 * deployment's bucket, any status: a discarded one comes back) or
 * {@code {"filter": {"sourceId"?: prefix, "status"?: FAILED|SUCCESS|DISCARDED}}}
 * (status defaults to FAILED; the filter is streamed, so it may match millions). Runs whatever the
 * items' auto tries; counts in {@code tries} only. 202 {runId} at once; the job runs asynchronously.
 */
@Path("deployments/{deploymentId}/resync")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ResyncResource {

    public static final int MAX_IDS = BucketActions.MAX_IDS;

    public record Filter(String sourceId, String status) {
    }

    public record ResyncRequest(List<JsonValue> itemIds, Filter filter) {
    }

    @Inject
    Deployments deployments;

    @Inject
    RetryRuns retryRuns;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response resync(@PathParam("deploymentId") long deploymentId, ResyncRequest body, @Context SecurityContext security) {
        deployments.get(deploymentId);
        long runId = retryRuns.resync(deploymentId, selection(body), Callers.name(security));
        return Response.accepted(new RetryRunsResource.RunStarted(runId)).build();
    }

    static Selection selection(ResyncRequest body) {
        if (body == null || (body.itemIds() == null && body.filter() == null)) {
            throw new InvalidInputException("itemIds", "give either itemIds or filter");
        }
        if (body.itemIds() != null && body.filter() != null) {
            throw new InvalidInputException("filter", "give either itemIds or filter, not both");
        }
        if (body.filter() != null) {
            var f = body.filter();
            var errors = new ArrayList<FieldError>();
            if (f.status() != null && !List.of("FAILED", "SUCCESS", "DISCARDED").contains(f.status())) {
                errors.add(new FieldError("filter.status", "must be FAILED, SUCCESS or DISCARDED"));
            }
            if (f.sourceId() != null && f.sourceId().length() > 200) {
                errors.add(new FieldError("filter.sourceId", "must be at most 200 characters"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return Selection.filter(f.sourceId(), f.status());
        }
        if (body.itemIds().isEmpty()) {
            throw new InvalidInputException("itemIds", "must not be empty");
        }
        return Selection.ids(BucketActions.itemIds(body.itemIds()));
    }
}
