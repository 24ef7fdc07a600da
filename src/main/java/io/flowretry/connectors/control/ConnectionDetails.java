package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;

import java.util.Map;

/**
 * How to reach an app, detached from the {@code Connection} entity so connectors need no persistence:
 * a JDBC app has {@code jdbcUrl} (and optional credentials), an HTTP app {@code baseUrl}, headers, its
 * limits and optional auth. {@code name} is the app's name, used in error texts and as the key of the
 * server's per-app limits.
 */
public record ConnectionDetails(String name, String jdbcUrl, String username, String password,
                                String baseUrl, Map<String, String> headers, HttpLimits limits, HttpAuth auth) {

    public ConnectionDetails {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        limits = limits == null ? HttpLimits.DEFAULTS : limits;
    }

    public static ConnectionDetails jdbc(String name, String jdbcUrl, String username, String password) {
        return new ConnectionDetails(name, jdbcUrl, username, password, null, null, null, null);
    }

    public static ConnectionDetails http(String name, String baseUrl, Map<String, String> headers, HttpLimits limits, HttpAuth auth) {
        return new ConnectionDetails(name, null, null, null, baseUrl, headers, limits, auth);
    }

    /** The details of a stored connection, secrets unsealed. */
    public static ConnectionDetails of(io.flowretry.connectors.entity.Connection c) {
        return c.getType() == io.flowretry.connectors.entity.ConnectionType.JDBC
                ? jdbc(c.getName(), c.getJdbcUrl(), c.getUsername(), c.getPassword())
                : http(c.getName(), c.getBaseUrl(), c.getHeaders(), c.getLimits(), c.getAuth());
    }

    public boolean isJdbc() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    @Override
    public String toString() {
        return "ConnectionDetails[" + name + ", " + UrlSecrets.masked(isJdbc() ? jdbcUrl : baseUrl) + "]";
    }
}
