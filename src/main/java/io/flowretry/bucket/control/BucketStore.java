package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.control.InLists;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The runs' plain-JDBC statements on {@code bucket_items} and {@code attempts} and their row
 * mapping, in one place: a retry chunk's claim (candidate pages and row locks), the recording of
 * every outcome (MAIN, AUTO, MANUAL: items loaded, inserted, updated, attempts appended) and the
 * operators' discards. The callers hold the rules — which items a run may take ({@code
 * retry.control.BucketClaims}), what an outcome does to an item ({@link BucketRecorder}, by
 * {@link BucketItem#attempted}) — and give this class the transaction's connection (a chunk's),
 * so nothing here opens a transaction or carries an interceptor.
 * <p>
 * The statements are measured (the due walk, the {@code VALUES} join: docs/benchmarks.md) and their
 * plans tested ({@code *PlansTest}, {@code ItemLookupTest}): change their text only with a measurement.
 * The console's filtered view ({@link BucketQueries}, JPA), retention's deletes and the metrics'
 * gauges read the same tables through their own queries; they are not on the runs' path.
 */
@ApplicationScoped
public class BucketStore {

    /** Source ids per {@code IN} list when loading a chunk's items. */
    static final int IN_SLICE = InLists.MAX;
    /** The longest reason an attempt keeps (the column's size). */
    public static final int MAX_REASON = 1000;
    /** What is read of an item (see {@link #stored}): by the recorder, and by a claim when it locks items. */
    static final String COLUMNS = "b.id, b.deployment_id, b.source_id, b.node_name, b.tries, b.auto_tries, b.created_at, b.lock_version, b.status";
    /** The columns an attempt sets, bound by {@link #bindState}: the update's first, the insert's last ones. */
    private static final String STATE = "node_name, status, queue_state, tries, auto_tries, last_attempt_at, next_attempt_at, error_class, last_error";
    private static final String INSERT_ITEM = "insert into bucket_items (id, deployment_id, source_id, created_at, lock_version, "
            + STATE + ") values (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_ITEM = "update bucket_items set " + STATE.replace(",", " = ?,") + " = ?,"
            + " lock_version = lock_version + 1 where id = ? and lock_version = ?";
    private static final String INSERT_ATTEMPT = "insert into attempts (id, item_id, attempted_at, trigger_type, outcome,"
            + " error_class, error, run_id, execution_id, user_name, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The columns a discard changes ({@link BucketItem#discard}). */
    private static final String DISCARD_ITEM = "update bucket_items set status = ?, queue_state = ?, last_attempt_at = ?,"
            + " next_attempt_at = ?, lock_version = lock_version + 1 where id = ? and lock_version = ?";
    private static final String LOCK = " for update skip locked";

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    // ---- claims: a retry chunk's pages and row locks

    /** A row of a claim's page: the item's id, source id and (for the due walk) its last attempt, else null. */
    public record Candidate(long id, String sourceId, Instant lastAttemptAt) {
    }

    /**
     * A page of the deployment's QUEUED items last attempted at or before {@code attemptedBy}, after
     * the keyset ({@code afterAttemptAt}, {@code afterId}), in the due index's order.
     */
    public static List<Candidate> due(Connection c, long deploymentId, Instant attemptedBy, Instant afterAttemptAt, long afterId,
                                      int limit) throws SQLException {
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
            ps.setObject(++i, InLists.utc(afterAttemptAt));
            ps.setObject(++i, InLists.utc(afterAttemptAt));
            ps.setLong(++i, afterId);
            ps.setInt(++i, limit);
            return candidates(ps, true);
        }
    }

    /** The deployment's items among {@code ids} last attempted at or before {@code attemptedBy}, by id. */
    public static List<Candidate> byIds(Connection c, long deploymentId, List<Long> ids, Instant attemptedBy) throws SQLException {
        // by primary key only (a deployment_id condition could make the database scan the deployment);
        // the deployment is checked on the rows found
        try (var ps = c.prepareStatement("select id, source_id from bucket_items where id in ("
                + InLists.marks(ids.size()) + ") and deployment_id = " + deploymentId + " and last_attempt_at <= ? order by id")) {
            int i = 0;
            for (Long id : ids) {
                ps.setLong(++i, id);
            }
            ps.setObject(++i, InLists.utc(attemptedBy));
            return candidates(ps, false);
        }
    }

    /** A page of the deployment's items of {@code status} whose source id is like {@code likePattern} (escape {@code !}), after {@code afterSourceId}. */
    public static List<Candidate> byFilter(Connection c, long deploymentId, String status, String likePattern, String afterSourceId,
                                           Instant attemptedBy, int limit) throws SQLException {
        try (var ps = c.prepareStatement("select id, source_id from bucket_items where deployment_id = ? and status = ?"
                + " and source_id like ? escape '!' and source_id > ? and last_attempt_at <= ?"
                + " order by deployment_id, status, source_id limit ?")) { // the status index's order (see due)
            int i = 0;
            ps.setLong(++i, deploymentId);
            ps.setString(++i, status);
            ps.setString(++i, likePattern);
            ps.setString(++i, afterSourceId);
            ps.setObject(++i, InLists.utc(attemptedBy));
            ps.setInt(++i, limit);
            return candidates(ps, false);
        }
    }

    private static List<Candidate> candidates(PreparedStatement ps, boolean withAttempt) throws SQLException {
        var items = new ArrayList<Candidate>();
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(new Candidate(rs.getLong(1), rs.getString(2),
                        withAttempt ? rs.getObject(3, OffsetDateTime.class).toInstant() : null));
            }
        }
        return items;
    }

    /** Which of a page's candidates a claim may lock (each re-checked on the locked row). */
    public enum Eligible {
        /** still QUEUED and due: the item's stored state ({@link BucketItem#isDue}) */
        DUE,
        /** not attempted since the run started */
        ANY,
        /** not attempted since the run started and still of the filter's status */
        WITH_STATUS
    }

    /**
     * Locks the items among {@code ids} that are still eligible and not locked by another
     * transaction ({@code for update skip locked}, by primary key) and reads them as the recorder
     * needs them, by id. Not in the page query itself: H2 applies FOR UPDATE before LIMIT and would
     * lock (and hold in memory) the whole due range of the deployment for every page.
     *
     * @param status the filter's status ({@link Eligible#WITH_STATUS} only)
     */
    public static Map<Long, BucketItem> lock(Connection c, Collection<Long> ids, Eligible eligible, Instant attemptedBy,
                                             BucketStatus status) throws SQLException {
        String condition = switch (eligible) {
            case DUE -> "queue_state = 'QUEUED' and last_attempt_at <= ?";
            case ANY -> "last_attempt_at <= ?";
            case WITH_STATUS -> "last_attempt_at <= ? and status = '" + status.name() + "'";
        };
        try (var ps = c.prepareStatement("select " + COLUMNS + " from bucket_items b where b.id in ("
                + InLists.marks(ids.size()) + ") and " + condition + LOCK)) {
            int i = 0;
            for (long id : ids) {
                ps.setLong(++i, id);
            }
            ps.setObject(++i, InLists.utc(attemptedBy));
            var locked = new HashMap<Long, BucketItem>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.put(rs.getLong(1), stored(rs));
                }
            }
            return locked;
        }
    }

    /** The ids among {@code ids} that are not items of the deployment's bucket (its own transaction-less read). */
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

    // ---- outcomes: items and attempts

    /** The deployment's items for these source ids, by source id ({@link #itemLookup}). */
    static Map<String, BucketItem> load(Connection c, long deploymentId, List<String> sourceIds) throws SQLException {
        Map<String, BucketItem> items = new HashMap<>(sourceIds.size() * 2);
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        if (postgres) {
            try (var s = c.createStatement()) {
                // this transaction only: a plan for the table as it is now, not the driver's generic plan made
                // while it was empty and kept as the bucket grew (without this line: main run 1,183/s, not 4,750)
                s.execute("set local plan_cache_mode = force_custom_plan");
            }
        }
        for (var slice : InLists.slices(sourceIds, IN_SLICE)) {
            try (var ps = c.prepareStatement(itemLookup(slice.size(), postgres))) {
                int i = 0;
                for (String sourceId : slice) {
                    ps.setString(++i, sourceId);
                }
                ps.setLong(++i, deploymentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(2) == deploymentId) {
                            items.put(rs.getString(3), stored(rs));
                        }
                    }
                }
            }
        }
        return items;
    }

    /**
     * The lookup of a chunk's items, one probe of the (deployment_id, source_id) index per source id:
     * the source ids as a {@code VALUES} list, then the deployment. A plain {@code deployment_id = ? and
     * source_id in (…)} makes H2 scan the deployment's whole bucket (it uses an IN list only on an
     * index's first column), so H2 joins the list. PostgreSQL, joining it, planned by its estimates: on
     * a bucket not analyzed yet (a main run fills an empty one; autovacuum off, or not run yet) it took
     * the deployment for ~140 rows and read all of it for each chunk, by a bitmap hash join or a nested
     * loop over the deployment's index range: 58 ms a chunk at 100,000 items, the main run quadratic.
     * A {@code LATERAL … LIMIT 1} subquery per id (H2 has no LATERAL) cannot be flattened into a join,
     * so its plan is the probe whatever the statistics (0.2 ms), once planned for the table as it is.
     */
    static String itemLookup(int n, boolean postgres) {
        String ids = "(values " + String.join(", ", Collections.nCopies(n, "(?)")) + ") as v(sid)";
        return postgres
                ? "select p.* from " + ids + " cross join lateral (select " + COLUMNS
                    + " from bucket_items b where b.deployment_id = ? and b.source_id = v.sid limit 1) p"
                : "select " + COLUMNS + " from " + ids + " join bucket_items b on b.source_id = v.sid where b.deployment_id = ?";
    }

    /** New items (ids given), as one batch. */
    static void insert(Connection c, Collection<BucketItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement(INSERT_ITEM)) {
            for (BucketItem item : items) {
                ps.setLong(1, item.getId());
                ps.setLong(2, item.getDeploymentId());
                ps.setString(3, item.getSourceId());
                ps.setObject(4, InLists.utc(item.getCreatedAt()));
                bindState(ps, 5, item);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Changed items, as one batch, each on the version it was loaded with.
     *
     * @throws OptimisticLockException when one was changed by someone else since (as JPA's {@code @Version} would)
     */
    static void update(Connection c, Collection<BucketItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        var batch = new ArrayList<BucketItem>(items.size());
        try (var ps = c.prepareStatement(UPDATE_ITEM)) {
            for (BucketItem item : items) {
                bindState(ps, 1, item);
                ps.setLong(10, item.getId());
                ps.setLong(11, item.getLockVersion());
                ps.addBatch();
                batch.add(item);
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw new OptimisticLockException("Bucket item " + batch.get(i).getId() + " (source id "
                            + batch.get(i).getSourceId() + ") was changed by another run meanwhile");
                }
            }
        }
    }

    /** Binds the {@link #STATE} columns from parameter {@code first} on. */
    private static void bindState(PreparedStatement ps, int first, BucketItem item) throws SQLException {
        int i = first;
        ps.setString(i++, item.getNodeName());
        ps.setString(i++, item.getStatus().name());
        ps.setString(i++, item.getQueueState().name());
        ps.setInt(i++, item.getTries());
        ps.setInt(i++, item.getAutoTries());
        ps.setObject(i++, InLists.utc(item.getLastAttemptAt()));
        ps.setObject(i++, InLists.utc(item.getNextAttemptAt()));
        setEnum(ps, i++, item.getErrorClass());
        ps.setString(i, item.getLastError());
    }

    /** The deployment's FAILED items among {@code itemIds}, their rows locked ({@code for update}: a run's chunk holding one is waited for). */
    static List<BucketItem> lockFailed(Connection c, long deploymentId, List<Long> itemIds) throws SQLException {
        var items = new ArrayList<BucketItem>(itemIds.size());
        for (var slice : InLists.slices(itemIds, InLists.MAX)) {
            try (var ps = c.prepareStatement("select " + COLUMNS + " from bucket_items b where b.id in ("
                    + InLists.marks(slice.size()) + ") and b.status = 'FAILED' for update")) {
                int i = 0;
                for (Long id : slice) {
                    ps.setLong(++i, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(2) == deploymentId) {
                            items.add(stored(rs));
                        }
                    }
                }
            }
        }
        return items;
    }

    /** Writes the columns a discard changed, as one batch (the rows are locked: no version can have moved). */
    static void discarded(Connection c, Collection<BucketItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (var update = c.prepareStatement(DISCARD_ITEM)) {
            for (BucketItem item : items) {
                update.setString(1, item.getStatus().name());
                update.setString(2, item.getQueueState().name());
                update.setObject(3, InLists.utc(item.getLastAttemptAt()));
                update.setObject(4, InLists.utc(item.getNextAttemptAt()));
                update.setLong(5, item.getId());
                update.setLong(6, item.getLockVersion());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * The attempts of one chunk (or one discard), sent as one batch by {@link #execute}: after the
     * items they reference. The rows wait in memory and the statement lives only inside
     * {@link #execute}: a statement held open while others are prepared on the connection can be
     * closed under it by a pool's statement cache making room (Payara's LRU cache closes the least
     * recently used entry, in use or not).
     */
    static final class Attempts implements AutoCloseable {

        private record Row(long id, long itemId, Instant at, Trigger trigger, Attempt.Outcome outcome, ErrorClass errorClass,
                           String error, Long runId, Long executionId, String user, String reason) {
        }

        private final Connection connection;
        private final List<Row> rows = new ArrayList<>();

        Attempts(Connection c) {
            this.connection = c;
        }

        void add(long id, long itemId, Instant at, Trigger trigger, Attempt.Outcome outcome, ErrorClass errorClass, String error,
                 Long runId, Long executionId, String user, String reason) {
            rows.add(new Row(id, itemId, at, trigger, outcome, errorClass, error, runId, executionId, user,
                    reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…"));
        }

        void execute() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (var ps = connection.prepareStatement(INSERT_ATTEMPT)) {
                for (Row row : rows) {
                    ps.setLong(1, row.id());
                    ps.setLong(2, row.itemId());
                    ps.setObject(3, InLists.utc(row.at()));
                    ps.setString(4, row.trigger().name());
                    ps.setString(5, row.outcome().name());
                    setEnum(ps, 6, row.errorClass());
                    ps.setString(7, row.error());
                    setLong(ps, 8, row.runId());
                    setLong(ps, 9, row.executionId());
                    ps.setString(10, row.user());
                    ps.setString(11, row.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            rows.clear();
        }

        /** Drops rows never executed (the chunk failed before): nothing is held. */
        @Override
        public void close() {
            rows.clear();
        }
    }

    /** The item of the current row of a query that selected {@link #COLUMNS} first. */
    static BucketItem stored(ResultSet rs) throws SQLException {
        return new BucketItem(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), BucketStatus.valueOf(rs.getString(9)),
                rs.getInt(5), rs.getInt(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8));
    }

    private static void setEnum(PreparedStatement ps, int index, Enum<?> value) throws SQLException {
        ps.setString(index, value == null ? null : value.name());
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
