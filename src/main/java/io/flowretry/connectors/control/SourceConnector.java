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

    /**
     * One id's read: its record, {@code null} fields when the id is gone from the source, or its own
     * failure (a {@link ConnectorException}, or anything unexpected).
     */
    record Read(Map<String, Object> fields, Exception failure) {

        public static Read of(String id, SourceConnector source) {
            try {
                return new Read(source.read(id).orElse(null), null);
            } catch (ConnectorException | RuntimeException e) {
                return new Read(null, e);
            }
        }
    }

    /**
     * The reads of a chunk's ids, one per id in their order, each with its own outcome. Default:
     * {@link #readMany}, and when that fails one {@link #read} per id; the HTTP source reads them concurrently.
     */
    default List<Read> readEach(List<String> ids) {
        Map<String, Map<String, Object>> found;
        try {
            found = readMany(ids);
        } catch (ConnectorException | RuntimeException e) {
            return ids.stream().map(id -> Read.of(id, this)).toList();
        }
        return ids.stream().map(id -> new Read(found.get(id), null)).toList();
    }

    @Override
    void close();
}
