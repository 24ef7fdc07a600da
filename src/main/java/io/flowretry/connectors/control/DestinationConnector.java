package io.flowretry.connectors.control;

import java.util.Map;

/** Writes mapped records to a flow's destination app. Not thread-safe: one per run. */
public interface DestinationConnector extends AutoCloseable {

    /** Inserts or replaces the record keyed by the source id: writing it twice leaves one. */
    void upsert(String sourceId, Map<String, Object> record) throws ConnectorException;

    @Override
    void close();
}
