package io.flowretry.retry.control;

import io.flowretry.bucket.control.BucketRecorder;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;

/**
 * Reads a run's next page of bucket items in key order and claims them for the chunk that will
 * resync them: the page's rows are locked by primary key with {@code select … for update skip
 * locked} in the chunk's own transaction (H2 and PostgreSQL alike).
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

    private static final String LOCK = " for update skip locked";

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

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
     * Locks the candidates that are still eligible and not locked by another run, by primary key,
     * and reads them as the recorder needs them (which spares it a query per chunk). Not in the page
     * query itself: H2 applies FOR UPDATE before LIMIT and would lock (and hold in memory) the whole
     * due range of the deployment for every page.
     */
    private static Map<Long, BucketItem> lock(Connection c, Selection s, Instant attemptedBy, List<ClaimedItem> candidates) throws SQLException {
        String eligible = switch (s.mode()) {
            case DUE -> "queue_state = 'QUEUED' and last_attempt_at <= ?"; // the item's stored state (BucketItem#isDue)
            case IDS -> "last_attempt_at <= ?";
            case FILTER -> "last_attempt_at <= ? and status = '" + ("SUCCESS".equals(s.status()) ? "SUCCESS" : "FAILED") + "'";
        };
        try (var ps = c.prepareStatement("select " + BucketRecorder.COLUMNS + " from bucket_items b where b.id in ("
                + InLists.marks(candidates.size()) + ") and " + eligible + LOCK)) {
            int i = 0;
            for (var item : candidates) {
                ps.setLong(++i, item.itemId());
            }
            ps.setObject(++i, InLists.utc(attemptedBy));
            var locked = new HashMap<Long, BucketItem>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.put(rs.getLong(1), BucketRecorder.stored(rs));
                }
            }
            return locked;
        }
    }

    /** The ids among {@code ids} that are not items of the deployment's bucket. */
    public List<Long> unknownIds(long deploymentId, List<Long> ids) {
        var known = new HashSet<Long>();
        try (var connection = dataSource.getConnection()) {
            for (var slice : InLists.slices(ids, InLists.MAX)) {
                try (var ps = connection.prepareStatement("select id from bucket_items where deployment_id = ? and id in ("
                        + InLists.marks(slice.size()) + ")")) {
                    int i = 0;
                    ps.setLong(++i, deploymentId);
                    for (Long id : slice) {
                        ps.setLong(++i, id);
                    }
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            known.add(rs.getLong(1));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read bucket items: " + e.getMessage(), e);
        }
        return ids.stream().filter(id -> !known.contains(id)).toList();
    }

    /** The page's candidates: items last attempted at or before {@code attemptedBy}, after {@code after}. */
    private static List<ClaimedItem> candidates(Connection c, long deploymentId, Selection s, Instant attemptedBy,
                                         ReadPosition after, int limit) throws SQLException {
        return switch (s.mode()) {
            case DUE -> {
                try (var ps = c.prepareStatement("select id, source_id, last_attempt_at from bucket_items"
                        + " where deployment_id = ? and queue_state = 'QUEUED' and last_attempt_at <= ? and last_attempt_at >= ?"
                        + " and (last_attempt_at > ? or id > ?)"
                        + " order by deployment_id, queue_state, last_attempt_at, id limit ?")) {
                    // the keyset (last_attempt_at, id) > (t, n) written as a range on the due index
                    // (last_attempt_at >= t) plus a residual filter: no OR the index cannot use; the
                    // ORDER BY names the index's leading (constant) columns too, or H2 reads the whole
                    // range and sorts it instead of stopping after one page
                    int i = 0;
                    ps.setLong(++i, deploymentId);
                    ps.setObject(++i, InLists.utc(attemptedBy));
                    ps.setObject(++i, InLists.utc(after.attemptAt()));
                    ps.setObject(++i, InLists.utc(after.attemptAt()));
                    ps.setLong(++i, after.id());
                    ps.setInt(++i, limit);
                    yield read(ps, rs -> new ReadPosition(rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(1), ""));
                }
            }
            case IDS -> {
                var ids = idsPage(s, after, limit);
                if (ids.isEmpty()) {
                    yield List.of();
                }
                // by primary key only (a deployment_id condition could make the database scan the deployment);
                // the deployment is checked on the rows found
                try (var ps = c.prepareStatement("select id, source_id from bucket_items where id in ("
                        + InLists.marks(ids.size()) + ") and deployment_id = " + deploymentId + " and last_attempt_at <= ? order by id")) {
                    int i = 0;
                    for (Long id : ids) {
                        ps.setLong(++i, id);
                    }
                    ps.setObject(++i, InLists.utc(attemptedBy));
                    yield read(ps, rs -> new ReadPosition(Instant.EPOCH, rs.getLong(1), ""));
                }
            }
            case FILTER -> {
                try (var ps = c.prepareStatement("select id, source_id from bucket_items where deployment_id = ? and status = ?"
                        + " and source_id like ? escape '!' and source_id > ? and last_attempt_at <= ?"
                        + " order by deployment_id, status, source_id limit ?")) { // the status index's order (see DUE)
                    int i = 0;
                    ps.setLong(++i, deploymentId);
                    ps.setString(++i, s.status());
                    ps.setString(++i, s.likePattern());
                    ps.setString(++i, after.sourceId());
                    ps.setObject(++i, InLists.utc(attemptedBy));
                    ps.setInt(++i, limit);
                    yield read(ps, rs -> new ReadPosition(Instant.EPOCH, rs.getLong(1), rs.getString(2)));
                }
            }
        };
    }

    private static List<Long> idsPage(Selection s, ReadPosition after, int limit) {
        int from = Collections.binarySearch(s.itemIds(), after.id());
        from = from >= 0 ? from + 1 : -from - 1;
        return s.itemIds().subList(from, Math.min(s.itemIds().size(), from + limit));
    }

    private static boolean hasMoreIds(Selection s, ReadPosition after) {
        return !idsPage(s, after, 1).isEmpty();
    }

    private interface PositionOf {
        ReadPosition of(ResultSet rs) throws SQLException;
    }

    private static List<ClaimedItem> read(PreparedStatement ps, PositionOf position) throws SQLException {
        var items = new ArrayList<ClaimedItem>();
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(new ClaimedItem(rs.getLong(1), rs.getString(2), position.of(rs), null));
            }
        }
        return items;
    }
}
