package io.flowretry.bucket.boundary;

import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketSort;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.bucket.entity.ItemPage;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.kernel.Validation;
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
 * {@code ?sourceId=} prefix, {@code status=FAILED|SUCCESS|DISCARDED}, {@code queueState=}, {@code errorClass=},
 * {@code sort=SOURCE_ID|STATUS|TIMESTAMP|TRIES}, {@code limit} 1–500 (default 50), {@code cursor}
 * from the previous page's {@code nextCursor}. Bad values, and combinations no index serves
 * ({@link BucketFilter#invalid}) → 400 naming the parameter.
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
        /** The item as the API shows it; {@code dueAt} with the deployment's time lapse now. */
        static ItemView of(BucketItem b, int timeLapseMinutes) {
            return new ItemView(b.getId(), b.getNodeName(), b.getSourceId(), b.getStatus().name(), b.getLastAttemptAt(),
                    b.getTries(), b.getAutoTries(), b.isExhausted(), b.dueAt(timeLapseMinutes),
                    b.getErrorClass() == null ? null : b.getErrorClass().name(), b.getLastError(), b.getQueueState().name());
        }
    }

    /**
     * {@code total} counts the filter up to {@link BucketTotal#COUNT_LIMIT}; {@code totalExact}
     * false means there are more than {@code total}.
     */
    public record BucketPage(long deploymentId, Named processFlow, EnvironmentName environment, long total, boolean totalExact,
                             List<ItemView> items, @JsonbNillable String nextCursor) {
    }

    @Inject
    Buckets buckets;

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @Inject
    Environments environments;

    @GET
    public BucketPage page(@PathParam("id") long deploymentId, @QueryParam("sourceId") String sourceId,
                           @QueryParam("status") String status, @QueryParam("limit") String limit,
                           @QueryParam("cursor") String cursor, @QueryParam("queueState") String queueState,
                           @QueryParam("errorClass") String errorClass, @QueryParam("sort") String sort) {
        var deployment = deployments.get(deploymentId);
        var v = new Validation();
        BucketStatus statusFilter = status(status, v);
        QueueState stateFilter = named(QueueState.class, queueState, "queueState", v);
        ErrorClass errorFilter = named(ErrorClass.class, errorClass, "errorClass", v);
        BucketSort order = named(BucketSort.class, sort, "sort", v);
        int size = limit(limit, v);
        v.maxLength(sourceId, 200, "sourceId");
        var filter = new BucketFilter(sourceId, statusFilter, stateFilter, errorFilter, order);
        filter.invalid().ifPresent(invalid -> v.check(false, invalid.field(), invalid.message()));
        if (cursor != null && !cursor.isBlank()) {
            try {
                v.check(BucketQueries.Cursor.decode(cursor).sort() == filter.order(), "cursor", "belongs to another sort order");
            } catch (IllegalArgumentException e) {
                v.check(false, "cursor", "is not a cursor of this bucket (use nextCursor of the previous page)");
            }
        }
        v.throwIfInvalid();
        var page = buckets.page(deploymentId, filter, size, cursor);
        var flow = flows.get(deployment.getFlowId());
        var environment = environments.get(deployment.getEnvironmentId());
        return new BucketPage(deploymentId, new Named(flow.getName(), flow.getDescription()),
                new EnvironmentName(environment.getName()), page.total().count(), page.total().exact(),
                page.items().stream().map(b -> ItemView.of(b, deployment.getRetry().getTimeLapseMinutes())).toList(), page.nextCursor());
    }

    private static BucketStatus status(String status, Validation v) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return BucketStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, "status", "must be FAILED, SUCCESS or DISCARDED");
            return null;
        }
    }

    /** An enum constant by name (any case), null when absent; a message naming the parameter and the choices otherwise. */
    private static <E extends Enum<E>> E named(Class<E> type, String value, String field, Validation v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", ""));
            return null;
        }
    }

    private static int limit(String limit, Validation v) {
        if (limit == null || limit.isBlank()) {
            return ItemPage.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            v.range(n, 1, ItemPage.MAX_LIMIT, "limit");
            return n;
        } catch (NumberFormatException e) {
            v.check(false, "limit", "must be a whole number between 1 and " + ItemPage.MAX_LIMIT);
            return ItemPage.DEFAULT_LIMIT;
        }
    }
}
