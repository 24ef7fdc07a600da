/**
 * Connections: the apps (JDBC databases, HTTP APIs) flows read and write. A connection's name is
 * unique and is the bucket's "Node Name". Passwords are secrets: stored for the connectors, never
 * returned by the API ({@code "***"}) and never logged. Connectors are chosen by the connection's type
 * and opened for their own {@code SourceSpec}/{@code DestinationSpec}: they know nothing of flows.
 * Every JDBC statement (metadata included) is bounded by the statement time-out.
 */
package io.flowretry.connectors;
