package io.flowretry.connectors.control;

import java.util.Map;

/**
 * How to reach an app, detached from the {@code Connection} entity so connectors need no persistence:
 * a JDBC app has {@code jdbcUrl} (and optional credentials), an HTTP app {@code baseUrl} and headers.
 * {@code name} is the app's name, used in error texts.
 */
public record ConnectionDetails(String name, String jdbcUrl, String username, String password,
                                String baseUrl, Map<String, String> headers) {

    public ConnectionDetails {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static ConnectionDetails jdbc(String name, String jdbcUrl, String username, String password) {
        return new ConnectionDetails(name, jdbcUrl, username, password, null, null);
    }

    public static ConnectionDetails http(String name, String baseUrl, Map<String, String> headers) {
        return new ConnectionDetails(name, null, null, null, baseUrl, headers);
    }

    public boolean isJdbc() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    @Override
    public String toString() {
        return "ConnectionDetails[" + name + ", " + UrlSecrets.masked(isJdbc() ? jdbcUrl : baseUrl) + "]";
    }
}
