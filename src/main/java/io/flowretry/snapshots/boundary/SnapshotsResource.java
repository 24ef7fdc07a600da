package io.flowretry.snapshots.boundary;

import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.Validation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/retry-runs/{runId}?limit=&cursor=}: a run's snapshot, its items paged by keyset. */
@Path("retry-runs")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotsResource {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    @Inject
    Snapshots snapshots;

    @GET
    @Path("{runId}")
    public RunViews.Snapshot get(@PathParam("runId") long runId, @QueryParam("limit") Integer limit,
                                 @QueryParam("cursor") String cursor) {
        var v = new Validation().range(limit, 1, MAX_LIMIT, "limit");
        long after = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Long.parseLong(cursor.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("cursor", "is not a cursor this API returned");
            }
        }
        v.throwIfInvalid();
        var run = snapshots.get(runId);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        var page = snapshots.items(runId, after, size + 1);
        boolean more = page.size() > size;
        return RunViews.Snapshot.of(run, more ? page.subList(0, size) : page, more);
    }
}
