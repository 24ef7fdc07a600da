package io.flowretry.bucket.boundary;

import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.platform.boundary.Validation;
import io.flowretry.retry.control.DueRule;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A deployment's resync bucket, a page at a time (any role):
 * {@code ?sourceId=} prefix, {@code status=FAILED|SUCCESS}, {@code limit} 1–500 (default 50),
 * {@code cursor} from the previous page's {@code nextCursor}. Bad values → 400 naming the parameter.
 */
@Path("deployments/{id}/bucket")
@Produces(MediaType.APPLICATION_JSON)
public class BucketResource {

    public record Named(String name, String description) {
    }

    public record EnvironmentName(String name) {
    }

    public record ItemView(long id, String nodeName, String sourceId, String status, Instant timestamp, int tries,
                           int autoTries, boolean autoRetriesExhausted, Instant dueAt, @JsonbNillable String errorClass,
                           @JsonbNillable String lastError, String queueState) {
        static ItemView of(BucketItem b) {
            return new ItemView(b.getId(), b.getNodeName(), b.getSourceId(), b.getStatus().name(), b.getLastAttemptAt(),
                    b.getTries(), b.getAutoTries(), DueRule.autoExhausted(b.getAutoTries()), b.getNextAttemptAt(),
                    b.getErrorClass() == null ? null : b.getErrorClass().name(), b.getLastError(), b.getQueueState().name());
        }
    }

    /**
     * {@code total} counts the filter up to {@link BucketQueries#COUNT_LIMIT}; {@code totalExact}
     * false means there are more than {@code total}.
     */
    public record BucketPage(long deploymentId, Named processFlow, EnvironmentName environment, long total, boolean totalExact,
                             List<ItemView> items, @JsonbNillable String nextCursor) {
    }

    @Inject
    BucketQueries queries;

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @Inject
    Environments environments;

    @GET
    public BucketPage page(@PathParam("id") long deploymentId, @QueryParam("sourceId") String sourceId,
                           @QueryParam("status") String status, @QueryParam("limit") String limit,
                           @QueryParam("cursor") String cursor) {
        var deployment = deployments.get(deploymentId);
        var v = new Validation();
        BucketStatus statusFilter = status(status, v);
        int size = limit(limit, v);
        v.maxLength(sourceId, 200, "sourceId");
        if (cursor != null && !cursor.isBlank()) {
            try {
                BucketQueries.decodeCursor(cursor);
            } catch (IllegalArgumentException e) {
                v.check(false, "cursor", "is not a cursor of this bucket (use nextCursor of the previous page)");
            }
        }
        v.throwIfInvalid();
        var page = queries.page(deploymentId, new BucketQueries.Filter(sourceId, statusFilter), size, cursor);
        var flow = flows.get(deployment.getFlowId());
        var environment = environments.get(deployment.getEnvironmentId());
        return new BucketPage(deploymentId, new Named(flow.getName(), flow.getDescription()),
                new EnvironmentName(environment.getName()), page.total().count(), page.total().exact(),
                page.items().stream().map(ItemView::of).toList(), page.nextCursor());
    }

    private static BucketStatus status(String status, Validation v) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return BucketStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, "status", "must be FAILED or SUCCESS");
            return null;
        }
    }

    private static int limit(String limit, Validation v) {
        if (limit == null || limit.isBlank()) {
            return BucketQueries.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            v.range(n, 1, BucketQueries.MAX_LIMIT, "limit");
            return n;
        } catch (NumberFormatException e) {
            v.check(false, "limit", "must be a whole number between 1 and " + BucketQueries.MAX_LIMIT);
            return BucketQueries.DEFAULT_LIMIT;
        }
    }
}
