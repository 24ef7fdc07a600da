package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import io.flowretry.platform.control.RowIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Every outcome of a run — main execution (MAIN), automatic retry (AUTO) or manual resync
 * (MANUAL) — goes into the bucket through here, in the caller's transaction (a chunk's; checked by
 * {@link ChunkTransaction}, no transaction interceptor on this hot path):
 * <ul>
 * <li>MAIN: a failure creates or updates the record's item; a success marks an existing item
 * SUCCESS and creates none. AUTO/MANUAL: the item exists (it was picked from the bucket).</li>
 * <li>What an outcome does to an item (status, queue state, tries, auto tries, due time) is the
 * item's own rule, {@link BucketItem#attempted}; this class only loads and writes the rows.</li>
 * <li>Every outcome that touches an item appends an {@link Attempt}.</li>
 * </ul>
 * This is both runs' hot path, so it is plain JDBC on the transaction's connection: one query loads
 * the chunk's items (none for a retry run: its claim read them), then new items, changed items and
 * attempts go out as one JDBC batch each (ids from {@link RowIds}). An item changed by someone else since it was loaded (its {@code lock_version}
 * moved) fails the chunk with an {@link OptimisticLockException}, as JPA's {@code @Version} would.
 */
@ApplicationScoped
public class BucketRecorder {

    /** Source ids per {@code IN} list when loading a chunk's items. */
    static final int IN_SLICE = InLists.MAX;
    static final int MAX_ERROR = 4000;
    private static final Logger LOG = Logger.getLogger(BucketRecorder.class.getName());
    /** What the recorder reads of an item (see {@link #stored}); a claim reads the same when it locks items. */
    public static final String COLUMNS = "b.id, b.deployment_id, b.source_id, b.node_name, b.tries, b.auto_tries, b.created_at, b.lock_version";
    /** The columns an attempt sets, bound by {@link #bindState}: the update's first, the insert's last ones. */
    private static final String STATE = "node_name, status, queue_state, tries, auto_tries, last_attempt_at, next_attempt_at, error_class, last_error";
    private static final String INSERT_ITEM = "insert into bucket_items (id, deployment_id, source_id, created_at, lock_version, "
            + STATE + ") values (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_ITEM = "update bucket_items set " + STATE.replace(",", " = ?,") + " = ?,"
            + " lock_version = lock_version + 1 where id = ? and lock_version = ?";
    private static final String INSERT_ATTEMPT = "insert into attempts (id, item_id, attempted_at, trigger_type, outcome,"
            + " error_class, error, run_id, execution_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Inject
    RowIds rowIds;

    @Inject
    ChunkTransaction chunk;

    /**
     * @param runId       the retry run (AUTO/MANUAL), else null
     * @param executionId the main execution (MAIN), else null
     */
    public void recordAll(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                          Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes) {
        record(deploymentId, nodeName, trigger, runId, executionId, at, timeLapseMinutes, outcomes, null);
    }

    /**
     * {@link #recordAll} for a retry run's claimed items, as its claim read them: the claim locked
     * their rows in this same transaction, so they are current and nothing needs loading.
     *
     * @param claimed the items (of this deployment), read with {@link #COLUMNS} by {@link #stored}
     */
    public void recordClaimed(long deploymentId, String nodeName, Trigger trigger, long runId, Instant at,
                              int timeLapseMinutes, List<RecordOutcome> outcomes, List<BucketItem> claimed) {
        var items = new HashMap<String, BucketItem>(claimed.size() * 2);
        claimed.forEach(item -> items.put(item.getSourceId(), item));
        record(deploymentId, nodeName, trigger, runId, null, at, timeLapseMinutes, outcomes, items);
    }

    private void record(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                        Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes, Map<String, BucketItem> claimed) {
        if (outcomes.isEmpty()) {
            return;
        }
        try (var connection = chunk.connection("recording outcomes in the bucket")) {
            Map<String, BucketItem> items = claimed == null
                    ? load(connection, deploymentId, outcomes.stream().map(RecordOutcome::sourceId).distinct().toList())
                    : claimed;
            var created = new LinkedHashSet<BucketItem>();
            var changed = new LinkedHashSet<BucketItem>();
            try (var attempts = connection.prepareStatement(INSERT_ATTEMPT)) {
                for (RecordOutcome outcome : outcomes) {
                    BucketItem item = items.get(outcome.sourceId());
                    if (item == null) {
                        if (outcome.success()) {
                            continue; // MAIN success of a record that never failed: nothing to keep
                        }
                        if (trigger != Trigger.MAIN) {
                            LOG.warning(() -> "No bucket item for " + outcome.sourceId() + " of deployment " + deploymentId + "; outcome dropped");
                            continue;
                        }
                        item = new BucketItem(rowIds.next(connection), deploymentId, outcome.sourceId(), nodeName, at);
                        created.add(item);
                        items.put(outcome.sourceId(), item);
                    } else if (!created.contains(item)) {
                        changed.add(item);
                    }
                    apply(item, nodeName, trigger, outcome, at, timeLapseMinutes);
                    addAttempt(attempts, rowIds.next(connection), item.getId(), at, trigger, outcome, runId, executionId);
                }
                insert(connection, created);
                update(connection, changed);
                // after the items: an attempt references its item
                attempts.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record outcomes in the bucket of deployment " + deploymentId + ": " + e.getMessage(), e);
        }
    }

    /** Applies one outcome to its item, by the item's rules ({@link BucketItem#attempted}). */
    static void apply(BucketItem item, String nodeName, Trigger trigger, RecordOutcome outcome, Instant at, int timeLapseMinutes) {
        if (nodeName != null) {
            item.setNodeName(nodeName);
        }
        item.attempted(trigger, outcome.success(), outcome.errorClass(), outcome.success() ? null : cut(outcome.error()), at, timeLapseMinutes);
    }

    private static void addAttempt(PreparedStatement ps, long id, long itemId, Instant at, Trigger trigger,
                                   RecordOutcome outcome, Long runId, Long executionId) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, itemId);
        ps.setObject(3, InLists.utc(at));
        ps.setString(4, trigger.name());
        ps.setString(5, (outcome.success() ? Attempt.Outcome.SUCCESS : Attempt.Outcome.FAILED).name());
        setEnum(ps, 6, outcome.success() ? null : outcome.errorClass());
        ps.setString(7, outcome.success() ? null : cut(outcome.error()));
        setLong(ps, 8, runId);
        setLong(ps, 9, executionId);
        ps.addBatch();
    }

    private static void insert(Connection c, Iterable<BucketItem> items) throws SQLException {
        try (var ps = c.prepareStatement(INSERT_ITEM)) {
            int n = 0;
            for (BucketItem item : items) {
                ps.setLong(1, item.getId());
                ps.setLong(2, item.getDeploymentId());
                ps.setString(3, item.getSourceId());
                ps.setObject(4, InLists.utc(item.getCreatedAt()));
                bindState(ps, 5, item);
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void update(Connection c, Iterable<BucketItem> items) throws SQLException {
        var batch = new ArrayList<BucketItem>();
        try (var ps = c.prepareStatement(UPDATE_ITEM)) {
            for (BucketItem item : items) {
                bindState(ps, 1, item);
                ps.setLong(10, item.getId());
                ps.setLong(11, item.getLockVersion());
                ps.addBatch();
                batch.add(item);
            }
            if (batch.isEmpty()) {
                return;
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

    /** The deployment's items for these source ids (a {@code VALUES} join, see {@link #valuesJoin}). */
    private static Map<String, BucketItem> load(Connection c, long deploymentId, List<String> sourceIds) throws SQLException {
        Map<String, BucketItem> items = new HashMap<>(sourceIds.size() * 2);
        for (var slice : InLists.slices(sourceIds, IN_SLICE)) {
            try (var ps = c.prepareStatement(valuesJoin(slice.size()))) {
                int i = 0;
                for (String sourceId : slice) {
                    ps.setString(++i, sourceId);
                }
                ps.setLong(++i, deploymentId);
                readItems(ps, deploymentId, items);
            }
        }
        return items;
    }

    private static void readItems(PreparedStatement ps, long deploymentId, Map<String, BucketItem> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getLong(2) == deploymentId) {
                    into.put(rs.getString(3), stored(rs));
                }
            }
        }
    }

    /** The item of the current row of a query that selected {@link #COLUMNS} first. */
    public static BucketItem stored(ResultSet rs) throws SQLException {
        return new BucketItem(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getInt(5), rs.getInt(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8));
    }

    /**
     * {@code select … from (values (?), …) v(sid) join bucket_items b on …}: the source ids, then the
     * deployment. Both databases then look each one up in the (deployment_id, source_id) index; a plain
     * {@code deployment_id = ? and source_id in (…)} makes H2 scan the deployment's whole bucket (it uses
     * an IN list only on an index's first column): quadratic over a run.
     */
    static String valuesJoin(int n) {
        return "select " + COLUMNS + " from (values " + String.join(", ", Collections.nCopies(n, "(?)"))
                + ") as v(sid) join bucket_items b on b.source_id = v.sid where b.deployment_id = ?";
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

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
