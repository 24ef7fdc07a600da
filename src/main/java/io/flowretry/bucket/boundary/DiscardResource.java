package io.flowretry.bucket.boundary;

import io.flowretry.kernel.FieldError;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.kernel.Roles;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.platform.boundary.Problem;
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
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/deployments/{id}/discard}: an operator takes failed records out of the queue
 * for good, with a reason: {@code {"itemIds": [...], "reason"}} (at most 10,000) or
 * {@code {"filter": {"sourceId"?, "status"?, "queueState"?, "errorClass"?}, "reason"}} (the bucket
 * view's filter; FAILED records only). Succeeded and already discarded records are left alone;
 * 200 {@code {"discarded": n}}. A manual RESYNC by id (or of the filter status DISCARDED) brings them back.
 */
@Path("deployments/{deploymentId}/discard")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DiscardResource {

    public record Filter(String sourceId, String status, String queueState, String errorClass) {
    }

    public record DiscardRequest(List<JsonValue> itemIds, Filter filter, String reason) {
    }

    public record Discarded(int discarded) {
    }

    @Inject
    Deployments deployments;

    @Inject
    BucketActions actions;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Discarded discard(@PathParam("deploymentId") long deploymentId, DiscardRequest body, @Context SecurityContext security) {
        deployments.get(deploymentId);
        String reason = body == null ? null : body.reason();
        if (body == null || (body.itemIds() == null && body.filter() == null)) {
            throw new InvalidInputException("itemIds", "give either itemIds or filter");
        }
        if (body.itemIds() != null && body.filter() != null) {
            throw new InvalidInputException("filter", "give either itemIds or filter, not both");
        }
        String user = security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
        return new Discarded(body.itemIds() != null
                ? actions.discard(deploymentId, BucketActions.itemIds(body.itemIds()), user, reason)
                : actions.discardMatching(deploymentId, filter(body.filter()), user, reason));
    }

    /** The filter's names as the bucket view's filter. */
    static BucketFilter filter(Filter f) {
        var errors = new ArrayList<FieldError>();
        var status = named(BucketStatus.class, f.status(), "filter.status", errors);
        var queueState = named(QueueState.class, f.queueState(), "filter.queueState", errors);
        var errorClass = named(ErrorClass.class, f.errorClass(), "filter.errorClass", errors);
        if (f.sourceId() != null && f.sourceId().length() > 200) {
            errors.add(new FieldError("filter.sourceId", "must be at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new BucketFilter(f.sourceId(), status, queueState, errorClass, null);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", "")));
            return null;
        }
    }
}
