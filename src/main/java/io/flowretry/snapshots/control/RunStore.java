package io.flowretry.snapshots.control;

import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import io.flowretry.platform.control.RowIds;
import io.flowretry.snapshots.entity.RunItem;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The runs' plain-JDBC statements on {@code retry_runs}, {@code run_items} and {@code run_workers}
 * and their row mapping, in one place:
 * <ul>
 * <li>a chunk's record ({@link #record}, {@link #stopRequested}): in the caller's (the chunk's)
 * transaction, checked by {@link ChunkTransaction}, with no transaction interceptor (the resync's
 * hot path, see {@link io.flowretry.platform.control.BatchCalls});</li>
 * <li>the agents working one run ({@code run_workers}, V121): one row per agent whose job works
 * the run (its first job, a takeover, or a worker that joined), live while not ended and its
 * heartbeat is fresher than the run lease, stamped with the run's generation (V123) that a
 * restart, takeover or resume moves on. Joining and ending take the run's row lock, so a worker
 * never joins a run whose last participant is completing it, and of two participants ending at
 * once the second sees the first ended. Each of these commits on its own ({@code REQUIRES_NEW}).</li>
 * </ul>
 * The run's life (open, finish, stop, takeover, pause) is JPA in {@code snapshots.boundary.Snapshots}:
 * bulk updates on the entity, off the chunk's path.
 */
@ApplicationScoped
public class RunStore {

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    @Inject
    RowIds rowIds;

    @Inject
    Clock clock;

    @Inject
    ChunkTransaction chunk;

    /**
     * Records one chunk of a run in the caller's (the chunk's) transaction: its items, the run's
     * counters, heartbeat and read position (the run's checkpoint: a restart reads on after it; null
     * from a worker, which keeps the first job's), and the heartbeat of this agent's work on it.
     * The resync's hot path, so plain JDBC on the transaction's connection and no transaction
     * interceptor (see {@link ChunkTransaction}):
     * the items as one batch (ids from {@link RowIds}), the counters in SQL so concurrent readers
     * never lose them ({@code lock_version} moves, as JPA's bulk update would move it). A null
     * {@code readPosition} keeps the stored one (a chunk that paused before its first item).
     */
    public void record(long runId, List<RunItem> items, int succeeded, int failed, String readPosition, long agentId) {
        try (var connection = chunk.connection("recording a chunk of a retry run")) {
            if (!items.isEmpty()) {
                try (var ps = connection.prepareStatement("insert into run_items (id, run_id, item_id, source_id, outcome,"
                        + " error_class, error, input_json, output_json, attempted_at, override_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (RunItem item : items) {
                        ps.setLong(1, rowIds.next(connection));
                        ps.setLong(2, item.getRunId());
                        ps.setLong(3, item.getItemId());
                        ps.setString(4, item.getSourceId());
                        ps.setString(5, item.getOutcome());
                        ps.setString(6, item.getErrorClass());
                        ps.setString(7, item.getError());
                        ps.setString(8, item.getInputJson());
                        ps.setString(9, item.getOutputJson());
                        ps.setObject(10, InLists.utc(item.getAttemptedAt()));
                        ps.setString(11, item.getOverrideJson());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            try (var ps = connection.prepareStatement("update retry_runs set picked = picked + ?, succeeded = succeeded + ?,"
                    + " failed = failed + ?, heartbeat_at = ?, read_position = coalesce(?, read_position), lock_version = lock_version + 1 where id = ?")) {
                ps.setInt(1, items.size());
                ps.setInt(2, succeeded);
                ps.setInt(3, failed);
                ps.setObject(4, InLists.utc(clock.instant()));
                ps.setString(5, readPosition);
                ps.setLong(6, runId);
                ps.executeUpdate();
            }
            try (var ps = connection.prepareStatement("update run_workers set heartbeat_at = ? where run_id = ? and agent_id = ?")) {
                ps.setObject(1, InLists.utc(clock.instant()));
                ps.setLong(2, runId);
                ps.setLong(3, agentId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record a chunk of retry run " + runId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the run is to stop: a stop was requested on its row (posted to any agent), or it is
     * no longer STARTED (another agent ended it). Read in the chunk's transaction before each chunk.
     */
    public boolean stopRequested(long runId) {
        try (var connection = chunk.connection("reading a retry run's stop request");
             var ps = connection.prepareStatement("select stop_requested, status from retry_runs where id = ?")) {
            ps.setLong(1, runId);
            try (var rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1) || !"STARTED".equals(rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read retry run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** This agent's job works the run from now on (its first start, a restart or a takeover), in the run's current generation. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void working(long runId, long agentId) {
        sql(c -> {
            var run = lockRun(c, runId);
            if (run == null) {
                return null;
            }
            if (!restart(c, runId, agentId, run.generation())) {
                insert(c, runId, agentId, run.generation());
            }
            return null;
        });
    }

    /**
     * Joins a live run as a worker: true if this agent has not worked the run's current generation
     * (a restart, takeover or resume starts a new one), the run is STARTED, and someone still works
     * this generation or nobody has yet (a run started or restarted through an agent that does not
     * serve its environment); false for a run that is ending, or dead and waiting for a takeover.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean join(long runId, long agentId, Instant freshAfter) {
        return sql(c -> {
            var run = lockRun(c, runId);
            if (run == null || !"STARTED".equals(run.status())) {
                return false;
            }
            Integer worked = null;
            try (var ps = c.prepareStatement("select generation from run_workers where run_id = ? and agent_id = ?")) {
                ps.setLong(1, runId);
                ps.setLong(2, agentId);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        worked = rs.getInt(1);
                    }
                }
            }
            if (worked != null && worked >= run.generation()) {
                return false;
            }
            try (var ps = c.prepareStatement("select count(*) from run_workers where run_id = ? and generation = ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, run.generation());
                if (count(ps) > 0 && live(c, runId, agentId, freshAfter) == 0) {
                    return false;
                }
            }
            if (worked == null) {
                insert(c, runId, agentId, run.generation());
            } else {
                restart(c, runId, agentId, run.generation());
            }
            return true;
        });
    }

    /** What is left of a run when one agent's job of it ends ({@link #ended}). */
    public enum Left {
        /** another agent still works it: that one ends it */
        OTHERS_WORK_IT,
        /** this was the last job, and the run goes on as it was: the caller completes it */
        LAST,
        /** this was the last job of a run with a stop requested: the caller ends it stopped */
        LAST_OF_A_STOPPED_RUN,
        /** the run is no longer STARTED (failed, paused or stopped elsewhere): nothing to end */
        ENDED
    }

    /** This agent's job of the run ended: marks its work ended and says what is left of the run. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Left ended(long runId, long agentId, Instant freshAfter) {
        return sql(c -> {
            boolean started;
            boolean stopRequested;
            try (var ps = c.prepareStatement("select status, stop_requested from retry_runs where id = ? for update")) {
                ps.setLong(1, runId);
                try (var rs = ps.executeQuery()) {
                    started = rs.next() && "STARTED".equals(rs.getString(1));
                    stopRequested = started && rs.getBoolean(2);
                }
            }
            try (var ps = c.prepareStatement("update run_workers set ended_at = ? where run_id = ? and agent_id = ?")) {
                ps.setObject(1, InLists.utc(clock.instant()));
                ps.setLong(2, runId);
                ps.setLong(3, agentId);
                ps.executeUpdate();
            }
            if (!started) {
                return Left.ENDED;
            }
            if (live(c, runId, agentId, freshAfter) > 0) {
                return Left.OTHERS_WORK_IT;
            }
            return stopRequested ? Left.LAST_OF_A_STOPPED_RUN : Left.LAST;
        });
    }

    /** Renews the rows of the runs this agent works now (every sweep and fleet poll). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void renew(Collection<Long> runIds, long agentId) {
        if (runIds.isEmpty()) {
            return;
        }
        sql(c -> {
            try (var ps = c.prepareStatement("update run_workers set heartbeat_at = ? where agent_id = ? and ended_at is null and run_id in ("
                    + InLists.marks(runIds.size()) + ")")) {
                int i = 0;
                ps.setObject(++i, InLists.utc(clock.instant()));
                ps.setLong(++i, agentId);
                for (Long id : runIds) {
                    ps.setLong(++i, id);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Whether the run's reader on this agent should read once more from the start before it ends:
     * another agent worked the run, and none does any more (one that died left its chunk's items
     * unlocked behind everyone's read position).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean lastOfSeveral(long runId, long agentId, Instant freshAfter) {
        return sql(c -> {
            try (var ps = c.prepareStatement("select count(*) from run_workers where run_id = ? and agent_id <> ?")) {
                ps.setLong(1, runId);
                ps.setLong(2, agentId);
                if (count(ps) == 0) {
                    return false;
                }
            }
            return live(c, runId, agentId, freshAfter) == 0;
        });
    }

    private static long live(Connection c, long runId, long exceptAgent, Instant freshAfter) throws SQLException {
        try (var ps = c.prepareStatement("select count(*) from run_workers where run_id = ? and agent_id <> ? and ended_at is null and heartbeat_at > ?")) {
            ps.setLong(1, runId);
            ps.setLong(2, exceptAgent);
            ps.setObject(3, InLists.utc(freshAfter));
            return count(ps);
        }
    }

    /** The agent's row of the run works again, in {@code generation}; false when it has none. */
    private boolean restart(Connection c, long runId, long agentId, int generation) throws SQLException {
        var now = InLists.utc(clock.instant());
        try (var ps = c.prepareStatement("update run_workers set ended_at = null, started_at = ?, heartbeat_at = ?, generation = ?"
                + " where run_id = ? and agent_id = ?")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setInt(3, generation);
            ps.setLong(4, runId);
            ps.setLong(5, agentId);
            return ps.executeUpdate() > 0;
        }
    }

    private void insert(Connection c, long runId, long agentId, int generation) throws SQLException {
        var now = InLists.utc(clock.instant());
        try (var ps = c.prepareStatement("insert into run_workers (id, run_id, agent_id, started_at, heartbeat_at, generation) values (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, rowIds.next(c));
            ps.setLong(2, runId);
            ps.setLong(3, agentId);
            ps.setObject(4, now);
            ps.setObject(5, now);
            ps.setInt(6, generation);
            ps.executeUpdate();
        }
    }

    private record LockedRun(String status, int generation) {
    }

    /** Locks the run's row; null when there is no such run. */
    private static LockedRun lockRun(Connection c, long runId) throws SQLException {
        try (var ps = c.prepareStatement("select status, generation from retry_runs where id = ? for update")) {
            ps.setLong(1, runId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? new LockedRun(rs.getString(1), rs.getInt(2)) : null;
            }
        }
    }

    private static long count(java.sql.PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (var c = dataSource.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read or write the workers of a retry run: " + e.getMessage(), e);
        }
    }
}
