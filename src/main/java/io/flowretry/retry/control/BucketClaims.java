package io.flowretry.retry.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a run's next page of bucket items in key order and claims them, in a short transaction
 * of its own, so other runs see the claim at once and leave the items alone.
 * <ul>
 * <li>A claim is {@code claimed_by_run} + {@code claim_expires_at} (a lease). An item is free
 * when unclaimed, claimed by this same run (a restarted job), or its lease ran out (its run died).
 * The recorder releases the claim when it records the item's outcome.</li>
 * <li>The claim re-checks that the item is still eligible, and a run never takes an item
 * attempted after the run started: so two runs over the same items try each item once.</li>
 * <li>DUE reads walk the due index {@code (deployment_id, queue_state, next_attempt_at, id)} as
 * a range scan in index order, stopping after one page (the ORDER BY repeats the index's leading
 * columns: without them H2 sorts the whole range per page); nothing but one page is ever in memory.</li>
 * </ul>
 */
@ApplicationScoped
public class BucketClaims {

    private static final String FREE = " and (claimed_by_run is null or claimed_by_run = ? or claim_expires_at < ?)";

    @Resource(lookup = "jdbc/flowretry")
    DataSource dataSource;

    /** One page: the items claimed (possibly none) and the position after the whole page; {@code end} when nothing is left. */
    public record Page(List<ClaimedItem> claimed, ReadPosition next, boolean end) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Page claimNext(long runId, long deploymentId, Selection selection, Instant runAt, ReadPosition after,
                          int limit, Instant now, Instant leaseUntil) {
        try (var connection = dataSource.getConnection()) {
            var candidates = candidates(connection, runId, deploymentId, selection, runAt, after, limit, now);
            if (candidates.isEmpty() && !(selection.mode() == Selection.Mode.IDS && hasMoreIds(selection, after))) {
                return new Page(List.of(), after, true);
            }
            var next = selection.mode() == Selection.Mode.IDS
                    ? new ReadPosition(Instant.EPOCH, idsPage(selection, after, limit).getLast(), "")
                    : candidates.getLast().position();
            if (candidates.isEmpty()) {
                return new Page(List.of(), next, false);
            }
            var won = claim(connection, runId, deploymentId, selection, runAt, candidates, now, leaseUntil);
            return new Page(candidates.stream().filter(c -> won.contains(c.itemId())).toList(), next, false);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot claim bucket items of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The ids among {@code ids} that are not items of the deployment's bucket. */
    public List<Long> unknownIds(long deploymentId, List<Long> ids) {
        var known = new HashSet<Long>();
        try (var connection = dataSource.getConnection()) {
            for (int from = 0; from < ids.size(); from += 1000) {
                var slice = ids.subList(from, Math.min(ids.size(), from + 1000));
                try (var ps = connection.prepareStatement("select id from bucket_items where deployment_id = ? and id in ("
                        + marks(slice.size()) + ")")) {
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

    private List<ClaimedItem> candidates(Connection c, long runId, long deploymentId, Selection s, Instant runAt,
                                         ReadPosition after, int limit, Instant now) throws SQLException {
        return switch (s.mode()) {
            case DUE -> {
                try (var ps = c.prepareStatement("select id, source_id, next_attempt_at from bucket_items"
                        + " where deployment_id = ? and queue_state = 'QUEUED' and next_attempt_at <= ? and next_attempt_at >= ?"
                        + " and (next_attempt_at > ? or id > ?) and auto_tries < ?" + FREE
                        + " order by deployment_id, queue_state, next_attempt_at, id limit ?")) {
                    // the keyset (next_attempt_at, id) > (t, n) written as a range on the due index
                    // (next_attempt_at >= t) plus a residual filter: no OR the index cannot use; the
                    // ORDER BY names the index's leading (constant) columns too, or H2 reads the whole
                    // range and sorts it instead of stopping after one page
                    int i = 0;
                    ps.setLong(++i, deploymentId);
                    ps.setObject(++i, odt(runAt));
                    ps.setObject(++i, odt(after.nextAttemptAt()));
                    ps.setObject(++i, odt(after.nextAttemptAt()));
                    ps.setLong(++i, after.id());
                    ps.setInt(++i, DueRule.MAX_AUTO_TRIES);
                    ps.setLong(++i, runId);
                    ps.setObject(++i, odt(now));
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
                        + marks(ids.size()) + ") and deployment_id = " + deploymentId + " and last_attempt_at <= ?" + FREE + " order by id")) {
                    int i = 0;
                    for (Long id : ids) {
                        ps.setLong(++i, id);
                    }
                    ps.setObject(++i, odt(runAt));
                    ps.setLong(++i, runId);
                    ps.setObject(++i, odt(now));
                    yield read(ps, rs -> new ReadPosition(Instant.EPOCH, rs.getLong(1), ""));
                }
            }
            case FILTER -> {
                try (var ps = c.prepareStatement("select id, source_id from bucket_items where deployment_id = ? and status = ?"
                        + " and source_id like ? escape '!' and source_id > ? and last_attempt_at <= ?" + FREE
                        + " order by deployment_id, status, source_id limit ?")) { // the status index's order (see DUE)
                    int i = 0;
                    ps.setLong(++i, deploymentId);
                    ps.setString(++i, s.status());
                    ps.setString(++i, s.likePattern());
                    ps.setString(++i, after.sourceId());
                    ps.setObject(++i, odt(runAt));
                    ps.setLong(++i, runId);
                    ps.setObject(++i, odt(now));
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

    private Set<Long> claim(Connection c, long runId, long deploymentId, Selection s, Instant runAt,
                            List<ClaimedItem> candidates, Instant now, Instant leaseUntil) throws SQLException {
        var ids = candidates.stream().map(ClaimedItem::itemId).toList();
        String eligible = switch (s.mode()) {
            case DUE -> " and queue_state = 'QUEUED' and next_attempt_at <= ? and auto_tries < " + DueRule.MAX_AUTO_TRIES;
            case IDS -> " and last_attempt_at <= ?";
            case FILTER -> " and last_attempt_at <= ? and status = '" + ("SUCCESS".equals(s.status()) ? "SUCCESS" : "FAILED") + "'";
        };
        // by primary key: the candidates were read from this deployment
        try (var ps = c.prepareStatement("update bucket_items set claimed_by_run = ?, claim_expires_at = ?,"
                + " lock_version = lock_version + 1 where id in (" + marks(ids.size()) + ")" + FREE + eligible)) {
            int i = 0;
            ps.setLong(++i, runId);
            ps.setObject(++i, odt(leaseUntil));
            for (Long id : ids) {
                ps.setLong(++i, id);
            }
            ps.setLong(++i, runId);
            ps.setObject(++i, odt(now));
            ps.setObject(++i, odt(runAt));
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("select id from bucket_items where id in (" + marks(ids.size()) + ") and claimed_by_run = ?")) {
            int i = 0;
            for (Long id : ids) {
                ps.setLong(++i, id);
            }
            ps.setLong(++i, runId);
            var won = new HashSet<Long>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    won.add(rs.getLong(1));
                }
            }
            return won;
        }
    }

    private interface PositionOf {
        ReadPosition of(ResultSet rs) throws SQLException;
    }

    private static List<ClaimedItem> read(PreparedStatement ps, PositionOf position) throws SQLException {
        var items = new ArrayList<ClaimedItem>();
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(new ClaimedItem(rs.getLong(1), rs.getString(2), position.of(rs)));
            }
        }
        return items;
    }

    private static String marks(int n) {
        return Collections.nCopies(n, "?").stream().collect(Collectors.joining(","));
    }

    private static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
