package io.flowretry.connectors.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the connector for a flow's node: JDBC when the connection has a JDBC URL, else HTTP.
 * HTTP time-outs come from MicroProfile Config: {@code FLOWRETRY_HTTP_CONNECT_TIMEOUT_SECONDS}
 * (default {@value #CONNECT_TIMEOUT_SECONDS}) and {@code FLOWRETRY_HTTP_REQUEST_TIMEOUT_SECONDS}
 * (default {@value #REQUEST_TIMEOUT_SECONDS}, the whole request until the answer's headers); a connection's
 * own {@code connectTimeoutSeconds}/{@code requestTimeoutSeconds} win. Each HTTP app gets one {@link HttpGate}
 * on this server (its {@code maxConcurrency} and {@code requestsPerSecond}), whichever runs call it.
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

    /** One client per connect time-out in use (the JDK client sets it per client, not per request). */
    private final Map<Integer, HttpClient> clients = new ConcurrentHashMap<>();
    /** Each HTTP app's limits on this server, by connection name, shared by all its runs. */
    private final Map<String, HttpGate> gates = new ConcurrentHashMap<>();

    public SourceConnector source(ConnectionDetails app, SourceSpec source) {
        return app.isJdbc() ? new JdbcSource(app, source, pool) : new HttpSource(httpApp(app), source);
    }

    public DestinationConnector destination(ConnectionDetails app, DestinationSpec destination) {
        return app.isJdbc() ? new JdbcDestination(app, destination, pool) : new HttpDestination(httpApp(app), destination);
    }

    /** The app as every HTTP connector of it calls it (its client, time-outs, gate and auth); the probe uses it too. */
    HttpApp httpApp(ConnectionDetails app) {
        var limits = app.limits();
        int connect = limits.connectTimeoutSeconds() == null ? connectTimeoutSeconds : limits.connectTimeoutSeconds();
        int request = limits.requestTimeoutSeconds() == null ? requestTimeoutSeconds : limits.requestTimeoutSeconds();
        var client = clients.computeIfAbsent(connect, seconds -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(seconds))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
        var gate = gates.compute(app.name(), (name, known) ->
                known != null && known.fits(limits, app.auth()) ? known : new HttpGate(limits, app.auth()));
        return new HttpApp(app, client, Duration.ofSeconds(request), gate);
    }
}
