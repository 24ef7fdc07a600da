package io.flowretry.connectors.control;

import io.flowretry.platform.control.InLists;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a flow's records from its source app (the GET node). Not thread-safe: one per run. */
public interface SourceConnector extends AutoCloseable {

    /** All records in id order after {@code afterId} ({@code null} = from the start), streamed. */
    RecordCursor readAll(String afterId) throws ConnectorException;

    /** One record by id; empty when the id is gone from the source. */
    Optional<Map<String, Object>> read(String id) throws ConnectorException;

    /**
     * The records of a chunk's ids, keyed by the id as given; an id gone from the source is absent,
     * exactly as {@link #read} would say. One failure fails the whole call (callers then fall back
     * to {@link #read} per id). Default: one {@link #read} per id; the JDBC source reads them with
     * one query per {@link InLists} slice.
     */
    default Map<String, Map<String, Object>> readMany(List<String> ids) throws ConnectorException {
        Map<String, Map<String, Object>> found = HashMap.newHashMap(ids.size());
        for (String id : ids) {
            var record = read(id);
            if (record.isPresent()) {
                found.put(id, record.get());
            }
        }
        return found;
    }

    @Override
    void close();
}
