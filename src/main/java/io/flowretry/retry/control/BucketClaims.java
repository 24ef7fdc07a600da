package io.flowretry.retry.control;

import io.flowretry.bucket.control.BucketStore;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.platform.control.ChunkTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a run's next page of bucket items in key order and claims them for the chunk that will
 * resync them: the page's rows are locked by primary key with {@code select … for update skip
 * locked} in the chunk's own transaction (H2 and PostgreSQL alike). This class holds the rules of
 * a claim (which items a selection takes, the read position); the statements are the bucket's
 * store's ({@link BucketStore}).
 * <ul>
 * <li>A claim is the row lock: another run's page skips locked items instead of waiting for them,
 * and the chunk's commit (which records the items' outcomes) or rollback (a failed chunk, a crashed
 * server) releases it. Nothing to expire, nothing left behind, no extra transaction per page.</li>
 * <li>The lock re-checks that the item is still eligible, and a run never takes an item attempted
 * after the run started (for DUE, one not due yet): so two runs over the same items try each item once.</li>
 * <li>DUE means: last attempt at or before (run time − the time lapse in force now), so a changed
 * lapse applies to every queued item at once (nothing stored per item keeps the old one).</li>
 * <li>A page is at most what the chunk still needs (the reader asks for no more), so no claimed
 * item outlives its chunk's transaction.</li>
 * <li>DUE reads walk the due index {@code (deployment_id, queue_state, last_attempt_at, id)} as
 * a range scan in index order, stopping after one page (the ORDER BY repeats the index's leading
 * columns: without them H2 sorts the whole range per page); nothing but one page is ever in memory.</li>
 * </ul>
 */
@ApplicationScoped
public class BucketClaims {

    @Inject
    BucketStore store;

    @Inject
    ChunkTransaction chunk;

    /** One page: the items claimed (possibly none) and the position after the whole page; {@code end} when nothing is left. */
    public record Page(List<ClaimedItem> claimed, ReadPosition next, boolean end) {
    }

    /**
     * Claims up to {@code limit} items after {@code after}, locked until the calling chunk's
     * transaction ends (checked by {@link ChunkTransaction}; no transaction interceptor on this hot path).
     * DUE items are those last attempted at or before {@code runAt} − {@code timeLapse}.
     */
    public Page claimNext(long deploymentId, Selection selection, Instant runAt, Duration timeLapse, ReadPosition after, int limit) {
        try (var connection = chunk.connection("claiming bucket items")) {
            return claimNext(connection, deploymentId, selection, runAt, timeLapse, after, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot claim bucket items of deployment " + deploymentId + ": " + e.getMessage(), e);
        }
    }

    /** {@link #claimNext} on the transaction's connection {@code c}. */
    static Page claimNext(Connection c, long deploymentId, Selection selection, Instant runAt, Duration timeLapse,
                          ReadPosition after, int limit) throws SQLException {
        // DUE: attempted at or before runAt - lapse; the others: not attempted since the run started
        var attemptedBy = selection.mode() == Selection.Mode.DUE ? runAt.minus(timeLapse) : runAt;
        var candidates = candidates(c, deploymentId, selection, attemptedBy, after, limit);
        if (candidates.isEmpty() && !(selection.mode() == Selection.Mode.IDS && hasMoreIds(selection, after))) {
            return new Page(List.of(), after, true);
        }
        var next = selection.mode() == Selection.Mode.IDS
                ? new ReadPosition(Instant.EPOCH, idsPage(selection, after, limit).getLast(), "")
                : candidates.getLast().position();
        if (candidates.isEmpty()) {
            return new Page(List.of(), next, false);
        }
        var locked = lock(c, selection, attemptedBy, candidates);
        return new Page(candidates.stream().filter(item -> locked.containsKey(item.itemId()))
                .map(item -> item.locked(locked.get(item.itemId()))).toList(), next, false);
    }

    /**
     * Locks the candidates that are still eligible and not locked by another run and reads them as
     * the recorder needs them (which spares it a query per chunk): {@link BucketStore#lock}.
     */
    private static Map<Long, BucketItem> lock(Connection c, Selection s, Instant attemptedBy, List<ClaimedItem> candidates) throws SQLException {
        var eligible = switch (s.mode()) {
            case DUE -> BucketStore.Eligible.DUE; // the item's stored state (BucketItem#isDue)
            case IDS -> BucketStore.Eligible.ANY;
            case FILTER -> BucketStore.Eligible.WITH_STATUS;
        };
        return BucketStore.lock(c, candidates.stream().map(ClaimedItem::itemId).toList(), eligible, attemptedBy,
                s.mode() == Selection.Mode.FILTER ? BucketStatus.valueOf(s.status()) : null);
    }

    /** The ids among {@code ids} that are not items of the deployment's bucket. */
    public List<Long> unknownIds(long deploymentId, List<Long> ids) {
        return store.unknownIds(deploymentId, ids);
    }

    /** The page's candidates: items last attempted at or before {@code attemptedBy}, after {@code after}. */
    private static List<ClaimedItem> candidates(Connection c, long deploymentId, Selection s, Instant attemptedBy,
                                                ReadPosition after, int limit) throws SQLException {
        return switch (s.mode()) {
            case DUE -> claimed(BucketStore.due(c, deploymentId, attemptedBy, after.attemptAt(), after.id(), limit),
                    row -> new ReadPosition(row.lastAttemptAt(), row.id(), ""));
            case IDS -> {
                var ids = idsPage(s, after, limit);
                yield ids.isEmpty() ? List.of()
                        : claimed(BucketStore.byIds(c, deploymentId, ids, attemptedBy), row -> new ReadPosition(Instant.EPOCH, row.id(), ""));
            }
            case FILTER -> claimed(BucketStore.byFilter(c, deploymentId, s.status(), s.likePattern(), after.sourceId(), attemptedBy, limit),
                    row -> new ReadPosition(Instant.EPOCH, row.id(), row.sourceId()));
        };
    }

    private static List<ClaimedItem> claimed(List<BucketStore.Candidate> rows, Function<BucketStore.Candidate, ReadPosition> position) {
        return rows.stream().map(row -> new ClaimedItem(row.id(), row.sourceId(), position.apply(row), null)).toList();
    }

    private static List<Long> idsPage(Selection s, ReadPosition after, int limit) {
        int from = Collections.binarySearch(s.itemIds(), after.id());
        from = from >= 0 ? from + 1 : -from - 1;
        return s.itemIds().subList(from, Math.min(s.itemIds().size(), from + limit));
    }

    private static boolean hasMoreIds(Selection s, ReadPosition after) {
        return !idsPage(s, after, 1).isEmpty();
    }
}
