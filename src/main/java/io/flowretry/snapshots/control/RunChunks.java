package io.flowretry.snapshots.control;

import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import io.flowretry.platform.control.RowIds;
import io.flowretry.snapshots.entity.RunItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/** Writes a retry run's snapshot as its chunks commit. */
@ApplicationScoped
public class RunChunks {

    @Inject
    RowIds rowIds;

    @Inject
    ChunkTransaction chunk;

    @Inject
    Clock clock;

    /**
     * Records one chunk of a run in the caller's (the chunk's) transaction: its items, the run's
     * counters, heartbeat and read position (the run's checkpoint: a restart reads on after it).
     * The resync's hot path, so plain JDBC on the transaction's connection and no transaction
     * interceptor (see {@link ChunkTransaction}):
     * the items as one batch (ids from {@link RowIds}), the counters in SQL so concurrent readers
     * never lose them ({@code lock_version} moves, as JPA's bulk update would move it).
     */
    public void record(long runId, List<RunItem> items, int succeeded, int failed, String readPosition) {
        try (var connection = chunk.connection("recording a chunk of a retry run")) {
            if (!items.isEmpty()) {
                try (var ps = connection.prepareStatement("insert into run_items (id, run_id, item_id, source_id, outcome,"
                        + " error_class, error, input_json, output_json, attempted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            try (var ps = connection.prepareStatement("update retry_runs set picked = picked + ?, succeeded = succeeded + ?,"
                    + " failed = failed + ?, heartbeat_at = ?, read_position = ?, lock_version = lock_version + 1 where id = ?")) {
                ps.setInt(1, items.size());
                ps.setInt(2, succeeded);
                ps.setInt(3, failed);
                ps.setObject(4, InLists.utc(clock.instant()));
                ps.setString(5, readPosition);
                ps.setLong(6, runId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record a chunk of retry run " + runId + ": " + e.getMessage(), e);
        }
    }
}
