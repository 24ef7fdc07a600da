package io.flowretry.retention.control;

import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.control.InLists;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of deletes per call, each in a transaction of its own: the rows' locks are held for one
 * batch only, and a bucket view, a chunk or a resync waits at most that long. Plain JDBC on the
 * transaction's connection (the rows are never loaded as entities).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class RetentionBatches {

    /** The queue states retention may delete; a FAILED status is never among them. */
    static final List<String> DELETABLE_STATES = List.of("RESOLVED", "DISCARDED");

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    /** The deployments that have bucket items, runs or executions: retention walks them one by one (index order). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Long> deployments() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("select id from deployments order by id")) {
            return longs(s);
        }
    }

    /**
     * Deletes up to {@code limit} items of a deployment in {@code queueState} whose last attempt is
     * before {@code cutoff},
     * with their attempts. Candidates come from the due index; each is locked and re-checked (still
     * this state, not FAILED) before it goes. Returns {items, attempts} deleted.
     */
    public long[] resolvedItems(long deploymentId, String queueState, Instant cutoff, int limit) throws SQLException {
        if (!DELETABLE_STATES.contains(queueState)) {
            throw new IllegalArgumentException(queueState + " is never deleted");
        }
        try (var c = dataSource.getConnection()) {
            List<Long> candidates;
            try (var s = c.prepareStatement("select id from bucket_items where deployment_id = ? and queue_state = ?"
                    + " and last_attempt_at < ? order by last_attempt_at, id fetch first " + limit + " rows only")) {
                s.setLong(1, deploymentId);
                s.setString(2, queueState);
                s.setObject(3, InLists.utc(cutoff));
                candidates = longs(s);
            }
            if (candidates.isEmpty()) {
                return new long[]{0, 0};
            }
            List<Long> locked = new ArrayList<>();
            for (var slice : InLists.slices(candidates, InLists.MAX)) {
                try (var s = c.prepareStatement("select id from bucket_items where id in (" + InLists.marks(slice.size()) + ")"
                        + " and queue_state = ? and status <> 'FAILED' and last_attempt_at < ? for update")) {
                    int i = bind(s, slice);
                    s.setString(i++, queueState);
                    s.setObject(i, InLists.utc(cutoff));
                    locked.addAll(longs(s));
                }
            }
            long attempts = deleteIn(c, "delete from attempts where item_id in (", locked);
            deleteIn(c, "delete from bucket_overrides where item_id in (", locked); // a main run's success leaves one
            long items = deleteIn(c, "delete from bucket_items where id in (", locked);
            return new long[]{items, attempts};
        }
    }

    /** Runs that ended before {@code cutoff} and still have snapshot items, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Long> runsWithItemsBefore(long deploymentId, Instant cutoff) throws SQLException {
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("select r.id from retry_runs r where r.deployment_id = ? and r.finished_at < ?"
                     + " and exists (select 1 from run_items i where i.run_id = r.id) order by r.id")) {
            s.setLong(1, deploymentId);
            s.setObject(2, InLists.utc(cutoff));
            return longs(s);
        }
    }

    /** Deletes up to {@code limit} snapshot items of one run (by the run's index); the run row keeps its counts. */
    public long runItems(long runId, int limit) throws SQLException {
        try (var c = dataSource.getConnection()) {
            List<Long> ids;
            try (var s = c.prepareStatement("select id from run_items where run_id = ? order by id fetch first " + limit + " rows only")) {
                s.setLong(1, runId);
                ids = longs(s);
            }
            return deleteIn(c, "delete from run_items where id in (", ids);
        }
    }

    /** Deletes up to {@code limit} ended main executions of a deployment that finished before {@code cutoff}. */
    public long executions(long deploymentId, Instant cutoff, int limit) throws SQLException {
        try (var c = dataSource.getConnection()) {
            List<Long> ids;
            try (var s = c.prepareStatement("select id from executions where deployment_id = ? and status <> 'STARTED'"
                    + " and finished_at < ? order by id fetch first " + limit + " rows only")) {
                s.setLong(1, deploymentId);
                s.setObject(2, InLists.utc(cutoff));
                ids = longs(s);
            }
            return deleteIn(c, "delete from executions where id in (", ids);
        }
    }

    static long deleteIn(Connection c, String deleteIn, List<Long> ids) throws SQLException {
        long deleted = 0;
        for (var slice : InLists.slices(ids, InLists.MAX)) {
            try (var s = c.prepareStatement(deleteIn + InLists.marks(slice.size()) + ")")) {
                bind(s, slice);
                deleted += s.executeUpdate();
            }
        }
        return deleted;
    }

    static int bind(PreparedStatement s, List<Long> ids) throws SQLException {
        int i = 1;
        for (long id : ids) {
            s.setLong(i++, id);
        }
        return i;
    }

    static List<Long> longs(PreparedStatement s) throws SQLException {
        var result = new ArrayList<Long>();
        try (var rs = s.executeQuery()) {
            while (rs.next()) {
                result.add(rs.getLong(1));
            }
        }
        return result;
    }
}
