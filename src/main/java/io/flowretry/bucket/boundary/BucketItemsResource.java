package io.flowretry.bucket.boundary;

import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.deployments.boundary.Deployments;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/**
 * One bucket item with its override and every attempt, oldest first (any role); an operator's
 * override of its input fields ("edit before resync", admins and operators).
 */
@Path("bucket-items")
@Produces(MediaType.APPLICATION_JSON)
public class BucketItemsResource {

    public record AttemptView(Instant at, String trigger, String outcome, @JsonbNillable String errorClass, @JsonbNillable String error,
                              @JsonbNillable Long runId, @JsonbNillable Long executionId, @JsonbNillable String user,
                              @JsonbNillable String reason) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.getAttemptedAt(), a.getTrigger().name(), a.getOutcome().name(),
                    a.getErrorClass() == null ? null : a.getErrorClass().name(), a.getError(), a.getRunId(), a.getExecutionId(),
                    a.getUser(), a.getReason());
        }
    }

    public record ItemDetail(long id, long deploymentId, String nodeName, String sourceId, String status, Instant timestamp,
                             int tries, int autoTries, boolean autoRetriesExhausted, Instant dueAt, @JsonbNillable String errorClass,
                             @JsonbNillable String lastError, String queueState, @JsonbNillable BucketActions.OverrideView override,
                             List<AttemptView> attempts) {
    }

    /** {@code PUT /api/bucket-items/{id}/override}: scalar fields by name (at most 100) and why. */
    public record OverrideRequest(JsonValue fields, String reason) {
    }

    @Inject
    Buckets buckets;

    @Inject
    BucketActions actions;

    @Inject
    Deployments deployments;


    @GET
    @Path("{id}")
    public ItemDetail get(@PathParam("id") long itemId) {
        var item = buckets.get(itemId);
        var v = BucketResource.ItemView.of(item, deployments.get(item.getDeploymentId()).getRetry().getTimeLapseMinutes());
        return new ItemDetail(v.id(), item.getDeploymentId(), v.nodeName(), v.sourceId(), v.status(), v.timestamp(), v.tries(),
                v.autoTries(), v.autoRetriesExhausted(), v.dueAt(), v.errorClass(), v.lastError(), v.queueState(),
                actions.override(itemId).orElse(null),
                buckets.attempts(itemId).stream().map(AttemptView::of).toList());
    }

    /**
     * Sets the item's override (replacing one it had). 404 for an unknown item, 409 for a succeeded
     * one (nothing left to resync), 400 naming {@code fields}, {@code fields.NAME} or {@code reason}.
     */
    /** Sets the item's override (replacing one it had); {@link BucketActions#setOverride} says when it is refused. */
    @PUT
    @Path("{id}/override")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public BucketActions.OverrideView setOverride(@PathParam("id") long itemId, OverrideRequest body, @Context SecurityContext security) {
        String user = security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
        return actions.setOverride(itemId, body == null ? null : body.fields(), body == null ? null : body.reason(), user);
    }

    /** Drops the item's override: 204, 404 when the item or its override is unknown. */
    @DELETE
    @Path("{id}/override")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response dropOverride(@PathParam("id") long itemId) {
        actions.dropOverride(itemId);
        return Response.noContent().build();
    }
}
