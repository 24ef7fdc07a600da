package io.flowretry.connectors.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe of an HTTP app against a real HTTP server on 127.0.0.1 that, like an app behind an API
 * gateway, answers its base URL only to a signed request: the probe sends what the connectors send
 * (headers, Basic, Bearer, the OAuth2 token), and the connection's own time-outs bound it.
 */
class ProbeTest {

    private HttpServer server;
    private String base;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenFetches = new AtomicInteger();
    private volatile int tokenStatus = 200;
    private volatile long delayMillis;
    private Probe probe;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api", this::api);
        server.createContext("/idp/token", this::token);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        var connectors = new Connectors();
        connectors.connectTimeoutSeconds = Connectors.CONNECT_TIMEOUT_SECONDS;
        connectors.requestTimeoutSeconds = Connectors.REQUEST_TIMEOUT_SECONDS;
        probe = new Probe();
        probe.connectors = connectors;
        probe.connectTimeoutSeconds = Connectors.CONNECT_TIMEOUT_SECONDS;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** 404 (there, no resource at the base URL) to a signed request carrying the tenant header; 401 to any other. */
    private void api(HttpExchange exchange) throws IOException {
        var auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + auth
                + " tenant=" + exchange.getRequestHeaders().getFirst("X-Tenant"));
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean signed = auth.equals("Bearer static-token") || auth.equals("Bearer tok-1")
                || auth.equals("Basic " + java.util.Base64.getEncoder().encodeToString("svc:pw".getBytes(StandardCharsets.UTF_8)));
        answer(exchange, signed && "acme".equals(exchange.getRequestHeaders().getFirst("X-Tenant")) ? 404 : 401);
    }

    private void token(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        tokenFetches.incrementAndGet();
        if (tokenStatus != 200) {
            answer(exchange, tokenStatus);
            return;
        }
        var body = "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private Probe.Result probe(HttpAuth auth, HttpLimits limits) {
        return probe.test(ConnectionDetails.http("ERP", base + "/api", Map.of("X-Tenant", "acme"), limits, auth));
    }

    @Test
    void a_bearer_app_is_probed_with_its_token_and_headers() {
        var result = probe(new HttpAuth("BEARER", null, null, "static-token", null, null, null, null), HttpLimits.DEFAULTS);
        assertTrue(result.ok(), String.valueOf(result.error()));
        assertNull(result.error());
        assertEquals(List.of("GET /api Bearer static-token tenant=acme"), seen);
    }

    @Test
    void a_basic_app_is_probed_signed() {
        var result = probe(new HttpAuth("BASIC", "svc", "pw", null, null, null, null, null), HttpLimits.DEFAULTS);
        assertTrue(result.ok(), String.valueOf(result.error()));
    }

    @Test
    void refused_credentials_fail_the_probe_without_showing_them() {
        var result = probe(new HttpAuth("BEARER", null, null, "wrong-token", null, null, null, null), HttpLimits.DEFAULTS);
        assertFalse(result.ok());
        assertTrue(result.error().startsWith("HTTP 401") && result.error().contains("credentials"), result.error());
        assertFalse(result.error().contains("wrong-token"), result.error());
    }

    @Test
    void an_oauth2_app_is_probed_with_a_fetched_token_and_a_token_endpoint_that_fails_fails_the_probe() {
        var auth = new HttpAuth("OAUTH2_CLIENT_CREDENTIALS", null, null, null, base + "/idp/token", "app", "s3cret", null);
        var result = probe(auth, HttpLimits.DEFAULTS);
        assertTrue(result.ok(), String.valueOf(result.error()));
        assertEquals(1, tokenFetches.get());
        assertEquals(List.of("GET /api Bearer tok-1 tenant=acme"), seen);

        tokenStatus = 503;
        var other = new HttpAuth("OAUTH2_CLIENT_CREDENTIALS", null, null, null, base + "/idp/token", "app2", "s3cret", null);
        var down = probe(other, HttpLimits.DEFAULTS);
        assertFalse(down.ok());
        assertTrue(down.error().contains("HTTP 503") && down.error().contains("ERP token request"), down.error());
    }

    @Test
    void an_app_without_auth_answering_401_is_there() {
        var result = probe(null, HttpLimits.DEFAULTS);
        assertTrue(result.ok(), "a 401 to an unsigned probe: the app answers; " + result.error());
    }

    @Test
    @Timeout(20) // the server-wide request time-out is 30 s: only the connection's own 1 s ends the probe before this
    void the_connections_request_time_out_bounds_the_probe() {
        delayMillis = 25_000;
        var result = probe(new HttpAuth("BEARER", null, null, "static-token", null, null, null, null), new HttpLimits(null, null, null, 1));
        assertFalse(result.ok());
        assertTrue(result.error().contains("timed out"), result.error());
    }

    @Test
    @Timeout(20) // the server-wide connect time-out is 600 s here, the request time-out too: only the connection's 1 s ends it before this
    void the_connections_connect_time_out_bounds_the_probe() throws IOException {
        probe.connectors.connectTimeoutSeconds = 600;
        try (var hung = new HungListener()) {
            var result = probe.test(ConnectionDetails.http("ERP", hung.url(), Map.of(), new HttpLimits(null, null, 1, 600), null));
            assertFalse(result.ok());
            assertTrue(result.error().contains("connect timed out"), result.error());
        }
    }
}
