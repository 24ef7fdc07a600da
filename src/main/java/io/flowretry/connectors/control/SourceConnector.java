package io.flowretry.connectors.control;

import java.util.Map;
import java.util.Optional;

/** Reads a flow's records from its source app (the GET node). Not thread-safe: one per run. */
public interface SourceConnector extends AutoCloseable {

    /** All records in id order after {@code afterId} ({@code null} = from the start), streamed. */
    RecordCursor readAll(String afterId) throws ConnectorException;

    /** One record by id; empty when the id is gone from the source. */
    Optional<Map<String, Object>> read(String id) throws ConnectorException;

    @Override
    void close();
}
