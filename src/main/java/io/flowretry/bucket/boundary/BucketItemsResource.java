package io.flowretry.bucket.boundary;

import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.platform.boundary.NotFoundException;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** One bucket item with every attempt, oldest first (any role). */
@Path("bucket-items")
@Produces(MediaType.APPLICATION_JSON)
public class BucketItemsResource {

    public record AttemptView(Instant at, String trigger, String outcome, @JsonbNillable String errorClass, @JsonbNillable String error,
                              @JsonbNillable Long runId, @JsonbNillable Long executionId) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.getAttemptedAt(), a.getTrigger().name(), a.getOutcome().name(),
                    a.getErrorClass() == null ? null : a.getErrorClass().name(), a.getError(), a.getRunId(), a.getExecutionId());
        }
    }

    public record ItemDetail(long id, long deploymentId, String nodeName, String sourceId, String status, Instant timestamp,
                             int tries, int autoTries, boolean autoRetriesExhausted, Instant dueAt, @JsonbNillable String errorClass,
                             @JsonbNillable String lastError, String queueState, List<AttemptView> attempts) {
    }

    @Inject
    BucketQueries queries;

    @Inject
    Deployments deployments;

    @GET
    @Path("{id}")
    public ItemDetail get(@PathParam("id") long itemId) {
        var item = queries.find(itemId).orElseThrow(() -> new NotFoundException("bucket item", itemId));
        var v = BucketResource.ItemView.of(item, deployments.get(item.getDeploymentId()).getRetry().getTimeLapseMinutes());
        return new ItemDetail(v.id(), item.getDeploymentId(), v.nodeName(), v.sourceId(), v.status(), v.timestamp(), v.tries(),
                v.autoTries(), v.autoRetriesExhausted(), v.dueAt(), v.errorClass(), v.lastError(), v.queueState(),
                queries.attempts(itemId).stream().map(AttemptView::of).toList());
    }
}
