package io.flowretry.bucket.boundary;

import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.bucket.entity.ItemPage;
import io.flowretry.kernel.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Reads a deployment's bucket, for the REST resources and the console alike (one set of queries,
 * {@link BucketQueries}): keyset pages of a {@link BucketFilter} (never OFFSET), totals counted up to
 * {@link BucketTotal#COUNT_LIMIT}, an item and its attempts. Changes to items go through
 * {@link BucketActions} and the runs, never through here.
 */
@ApplicationScoped
public class Buckets {

    @Inject
    BucketQueries queries;

    /**
     * A page with the filter's total.
     *
     * @param cursor a {@link ItemPage#nextCursor()} of the same filter, or null for the first page
     * @throws IllegalArgumentException if the cursor is not one of this bucket view, or of another order
     */
    public ItemPage page(long deploymentId, BucketFilter filter, int limit, String cursor) {
        return queries.page(deploymentId, filter, limit, cursor);
    }

    /** A page without its total, for callers that count once per filter rather than per page (the console's lazy table). */
    public ItemPage slice(long deploymentId, BucketFilter filter, int limit, String cursor) {
        return queries.slice(deploymentId, filter, limit, cursor);
    }

    /** The filter's total, bounded by {@link BucketTotal#COUNT_LIMIT}. */
    public BucketTotal count(long deploymentId, BucketFilter filter) {
        return queries.count(deploymentId, filter);
    }

    /** The deployment's items of these ids, in no particular order (ids of other deployments are left out). */
    public List<BucketItem> items(long deploymentId, List<Long> ids) {
        return queries.items(deploymentId, ids);
    }

    public Optional<BucketItem> find(long itemId) {
        return queries.find(itemId);
    }

    /** @throws NotFoundException (404) for an unknown item */
    public BucketItem get(long itemId) {
        return find(itemId).orElseThrow(() -> new NotFoundException("bucket item", itemId));
    }

    /** An item's attempts, oldest first. */
    public List<Attempt> attempts(long itemId) {
        return queries.attempts(itemId);
    }
}
