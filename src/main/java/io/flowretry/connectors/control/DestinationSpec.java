package io.flowretry.connectors.control;

/**
 * What a destination connector writes: a table of a JDBC app (upsert keyed by {@code keyColumn})
 * or a resource of an HTTP app ({@code path} with {@code {id}}, {@code method}). The connectors'
 * own terms, so they need nothing of the flows that use them.
 */
public record DestinationSpec(String connection, String table, String keyColumn, String path, String method) {
}
