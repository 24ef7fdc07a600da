package io.flowretry.connectors.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes mapped records to a flow's destination app. Not thread-safe: one per run. */
public interface DestinationConnector extends AutoCloseable {

    /** A mapped record to write, keyed by its source id; {@code idempotencyKey} ({@link IdempotencyKey}) names this attempt. */
    record Write(String sourceId, Map<String, Object> record, String idempotencyKey) {
    }

    /** Inserts or replaces the record keyed by the source id: writing it twice leaves one. */
    void upsert(String sourceId, Map<String, Object> record) throws ConnectorException;

    /** {@link #upsert(String, Map)} of one write; the HTTP destination also sends its idempotency key. */
    default void upsert(Write write) throws ConnectorException {
        upsert(write.sourceId(), write.record());
    }

    /**
     * Upserts a chunk's records. The result has one entry per write, in order: {@code null} when it
     * was written, else its own failure — a record the destination rejects never fails its
     * neighbours. Default: one {@link #upsert} per record; the JDBC destination sends one batch and
     * falls back to this when the batch fails, the HTTP one sends them concurrently.
     */
    default List<ConnectorException> upsertAll(List<Write> writes) {
        List<ConnectorException> failures = new ArrayList<>(writes.size());
        for (Write write : writes) {
            try {
                upsert(write);
                failures.add(null);
            } catch (ConnectorException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    @Override
    void close();
}
