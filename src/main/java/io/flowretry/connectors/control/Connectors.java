package io.flowretry.connectors.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Makes the connector for a flow's node: JDBC when the connection has a JDBC URL, else HTTP.
 * HTTP time-outs come from MicroProfile Config: {@code FLOWRETRY_HTTP_CONNECT_TIMEOUT_SECONDS}
 * (default {@value #CONNECT_TIMEOUT_SECONDS}) and {@code FLOWRETRY_HTTP_REQUEST_TIMEOUT_SECONDS}
 * (default {@value #REQUEST_TIMEOUT_SECONDS}, the whole request until the answer's headers).
 */
@ApplicationScoped
public class Connectors {

    public static final int CONNECT_TIMEOUT_SECONDS = 5;
    public static final int REQUEST_TIMEOUT_SECONDS = 30;

    @Inject
    JdbcPool pool;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_HTTP_CONNECT_TIMEOUT_SECONDS", defaultValue = "" + CONNECT_TIMEOUT_SECONDS)
    int connectTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_HTTP_REQUEST_TIMEOUT_SECONDS", defaultValue = "" + REQUEST_TIMEOUT_SECONDS)
    int requestTimeoutSeconds;

    private HttpClient http;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public SourceConnector source(ConnectionDetails app, SourceSpec source) {
        return app.isJdbc() ? new JdbcSource(app, source, pool) : new HttpSource(httpApp(app), source);
    }

    public DestinationConnector destination(ConnectionDetails app, DestinationSpec destination) {
        return app.isJdbc() ? new JdbcDestination(app, destination, pool) : new HttpDestination(httpApp(app), destination);
    }

    private HttpApp httpApp(ConnectionDetails app) {
        return new HttpApp(app, http, Duration.ofSeconds(requestTimeoutSeconds));
    }
}
