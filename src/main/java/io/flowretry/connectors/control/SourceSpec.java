package io.flowretry.connectors.control;

/**
 * What a source connector reads: a table of a JDBC app ({@code table}, {@code idColumn}) or the
 * resources of an HTTP app ({@code listPath}, {@code itemPath} with {@code {id}}, {@code idField}, optional {@code itemsPath} with {@code {ids}}).
 * The connectors' own terms, so they need nothing of the flows that use them.
 */
public record SourceSpec(String connection, String table, String idColumn, String listPath, String itemPath, String idField,
                         String itemsPath) {
}
