/**
 * Connections: the apps (JDBC databases, HTTP APIs) flows read and write; a name is unique and is the bucket's "Node Name".
 * What an admin types is untrusted: a JDBC URL passes {@code JdbcUrls} on save and on every open; secrets (passwords,
 * header values, auth secrets, passwords inside URLs) are sealed at rest, read {@code "***"} and are never logged.
 * Connectors are chosen by the connection's type and opened for their own {@code SourceSpec}/{@code DestinationSpec}.
 * Every JDBC statement is bounded by the statement time-out; every HTTP request passes its app's {@code HttpGate}
 * (per server: {@code maxConcurrency} in flight, {@code requestsPerSecond}), and a chunk's HTTP calls run concurrently.
 * Each connection has one circuit breaker ({@code AppHealth}, owned by {@code Breaker}) shared by every run and
 * server through the database: TRANSIENT failures in a row or a Retry-After put it DOWN, a probe it answers puts it UP.
 * A connection is deleted only when nothing uses it: {@code ConnectionDeleting} is fired first and the areas
 * that use connections (flows, deployments; connectors cannot see them) refuse it with a 409 naming the user.
 */
package io.flowretry.connectors;
