/**
 * Connections: the apps (JDBC databases, HTTP APIs) flows read and write. A connection's name is
 * unique and is the bucket's "Node Name". Passwords are secrets: stored for the connectors, never
 * returned by the API ({@code "***"}) and never logged. Connectors are chosen by the connection's type.
 */
package io.flowretry.connectors;
