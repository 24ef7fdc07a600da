package io.flowretry.connectors.control;

import java.util.Map;

/** One record read from a source app: its id (as text, whatever the source's type) and its fields. */
public record SourceRecord(String id, Map<String, Object> fields) {
}
