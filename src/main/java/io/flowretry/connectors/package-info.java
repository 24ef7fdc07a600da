/**
 * Connections: the apps (JDBC databases, HTTP APIs) flows read and write. A connection's name is
 * unique and is the bucket's "Node Name". What an admin types is untrusted: a JDBC URL passes
 * {@code JdbcUrls} on save and on every open (no code, no files, never the product's own database).
 * Secrets (passwords, header values, passwords inside URLs) are sealed at rest, read {@code "***"}
 * over the API and are never logged. Connectors are chosen by the connection's type
 * and opened for their own {@code SourceSpec}/{@code DestinationSpec}: they know nothing of flows.
 * Every JDBC statement (metadata included) is bounded by the statement time-out.
 */
package io.flowretry.connectors;
