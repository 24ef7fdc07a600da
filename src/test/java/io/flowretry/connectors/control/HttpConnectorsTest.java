package io.flowretry.connectors.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowretry.connectors.control.DestinationConnector.Write;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP connectors against a real HTTP server on 127.0.0.1 (answering from its own thread pool, after a
 * delay, counting the requests in flight): concurrency within the app's limit, order and per-record failures,
 * the idempotency key, {@code itemsPath}, the three kinds of auth and the request time-out.
 */
class HttpConnectorsTest {

    private HttpServer server;
    private String base;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenFetches = new AtomicInteger();
    private volatile String validToken = "tok-1";
    private volatile long delayMillis = 50;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/erp/customers/", this::customers);
        server.createContext("/crm/contacts", this::contacts);
        server.createContext("/idp/token", this::token);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void customers(HttpExchange exchange) throws IOException {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        String id = exchange.getRequestURI().getPath().substring("/erp/customers/".length());
        requests.add(exchange.getRequestMethod() + " " + id);
        var auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(auth));
        var key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null) {
            keys.put(id, key);
        }
        exchange.getRequestBody().readAllBytes();
        sleep(delayMillis);
        // answered from here on: the client may see the answer and send its next request before this thread goes on
        inFlight.decrementAndGet();
        if (auth != null && auth.startsWith("Bearer tok-") && !auth.equals("Bearer " + validToken)) {
            answer(exchange, 401, "{\"error\":\"invalid_token\"}");
        } else if (id.startsWith("reject")) {
            answer(exchange, 422, "{\"error\":\"rejected\"}");
        } else {
            answer(exchange, 200, "{}");
        }
    }

    /** {@code /crm/contacts?ids=1,2,3} answers those that exist (even ids); {@code ?ids=fail…} is a 500; {@code /crm/contacts/{id}} one. */
    private void contacts(HttpExchange exchange) throws IOException {
        var uri = exchange.getRequestURI();
        requests.add("GET " + uri.getPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        if (uri.getPath().equals("/crm/contacts")) {
            var ids = URLDecoder.decode(uri.getRawQuery().substring("ids=".length()), StandardCharsets.UTF_8).split(",");
            if (ids[0].startsWith("fail")) {
                answer(exchange, 500, "down");
                return;
            }
            List<String> found = new ArrayList<>();
            for (var id : ids) {
                if (id.matches("\\d+") && Integer.parseInt(id) % 2 == 0) {
                    found.add("{\"id\":" + id + ",\"email\":\"c" + id + "@example.com\"}");
                }
            }
            answer(exchange, 200, "{\"items\":[" + String.join(",", found) + "]}");
        } else {
            var id = uri.getPath().substring("/crm/contacts/".length());
            answer(exchange, id.equals("fail-2") ? 404 : 200, "{\"id\":\"" + id + "\"}");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var basic = "Basic " + Base64.getEncoder().encodeToString("app:s3cret".getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !body.equals("grant_type=client_credentials&scope=customers%3Awrite")) {
            answer(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        validToken = "tok-" + tokenFetches.incrementAndGet();
        answer(exchange, 200, "{\"access_token\":\"" + validToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpApp app(String path, HttpLimits limits, HttpAuth auth, int requestTimeoutSeconds) {
        return new HttpApp(ConnectionDetails.http("ERP", base + path, Map.of(), limits, auth), HttpClient.newHttpClient(),
                Duration.ofSeconds(requestTimeoutSeconds), new HttpGate(limits, auth));
    }

    private HttpDestination erp(HttpLimits limits, HttpAuth auth) {
        return new HttpDestination(app("/erp", limits, auth, 30), new DestinationSpec("ERP", null, null, "/customers/{id}", "PUT"));
    }

    private static List<Write> writes(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Write(id, Map.of("email", id + "@example.com"), "key-" + id)).toList();
    }

    @Test
    void a_chunk_is_written_concurrently_but_never_more_than_max_concurrency_at_once() {
        var ids = IntStream.range(0, 40).mapToObj(i -> i == 7 ? "reject-7" : String.valueOf(i)).toArray(String[]::new);
        var failures = erp(new HttpLimits(4, null, null, null), null).upsertAll(writes(ids));

        assertEquals(4, peak.get(), "the server saw at most 4 at once, and 4 were used");
        assertEquals(40, failures.size());
        for (int i = 0; i < 40; i++) {
            if (i == 7) {
                assertEquals(ErrorClass.DATA, failures.get(i).errorClass());
                assertTrue(failures.get(i).getMessage().startsWith("HTTP 422"), failures.get(i).getMessage());
            } else {
                assertNull(failures.get(i), "write " + i + " is its own");
            }
        }
        assertEquals("key-3", keys.get("3"), "each write carries its Idempotency-Key");
    }

    @Test
    void requests_per_second_holds_the_rate() {
        delayMillis = 0;
        long start = System.nanoTime();
        erp(new HttpLimits(8, 10.0, null, null), null).upsertAll(writes("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(11, requests.size());
        assertTrue(millis >= 950, "11 requests at 10/s take at least 1 s: " + millis + " ms");
    }

    @Test
    void items_path_reads_a_chunk_with_one_request_per_hundred_ids_and_falls_back_to_one_by_one() {
        var source = new HttpSource(app("/crm", HttpLimits.DEFAULTS, null, 30),
                new SourceSpec("CRM", null, null, "/contacts", "/contacts/{id}", "id", "/contacts?ids={ids}"));
        var ids = IntStream.rangeClosed(1, 150).mapToObj(String::valueOf).toList();
        var reads = source.readEach(ids);
        assertEquals(2, requests.size(), requests.toString());
        assertTrue(requests.contains("GET /crm/contacts?ids=" + String.join(",", ids.subList(100, 150))), requests.toString());
        assertEquals(150, reads.size());
        assertNull(reads.get(0).fields(), "1 is not in the answer: gone");
        assertEquals("c2@example.com", reads.get(1).fields().get("email"));
        assertEquals(148L, ((Number) reads.get(147).fields().get("id")).longValue());
        assertNull(reads.get(148).fields());

        requests.clear();
        var fallback = source.readEach(List.of("fail-1", "fail-2"));
        assertEquals("fail-1", fallback.get(0).fields().get("id"));
        assertNull(fallback.get(1).fields());
        assertNull(fallback.get(1).failure(), "404: gone, not failed");
        assertEquals(3, requests.size(), "the batch, then one per id: " + requests);
    }

    @Test
    void basic_and_bearer_sign_every_request() throws Exception {
        erp(HttpLimits.DEFAULTS, new HttpAuth("BASIC", "svc", "pa:ss", null, null, null, null, null)).upsert(writes("1").getFirst());
        erp(HttpLimits.DEFAULTS, new HttpAuth("BEARER", null, null, "static-token", null, null, null, null)).upsert(writes("2").getFirst());
        assertEquals(List.of("Basic " + Base64.getEncoder().encodeToString("svc:pa:ss".getBytes(StandardCharsets.UTF_8)),
                "Bearer static-token"), authorizations);
    }

    @Test
    void oauth2_fetches_the_token_once_keeps_it_and_fetches_a_new_one_once_after_a_401() throws Exception {
        var auth = new HttpAuth("OAUTH2_CLIENT_CREDENTIALS", null, null, null, base + "/idp/token", "app", "s3cret", "customers:write");
        var erp = erp(HttpLimits.DEFAULTS, auth);
        assertTrue(erp.upsertAll(writes("1", "2", "3", "4", "5", "6")).stream().allMatch(java.util.Objects::isNull));
        assertEquals(1, tokenFetches.get(), "one fetch for six concurrent requests");
        assertTrue(erp.upsertAll(writes("7", "8")).stream().allMatch(java.util.Objects::isNull));
        assertEquals(1, tokenFetches.get(), "cached");

        validToken = "tok-revoked";
        assertTrue(erp.upsertAll(writes("9", "10", "11", "12")).stream().allMatch(java.util.Objects::isNull));
        assertEquals(2, tokenFetches.get(), "one new token after the 401s");
        assertEquals("Bearer tok-2", authorizations.getLast());

        var wrongSecret = erp(HttpLimits.DEFAULTS, new HttpAuth("OAUTH2_CLIENT_CREDENTIALS", null, null, null, base + "/idp/token", "app", "nope", "customers:write"));
        var refused = wrongSecret.upsertAll(writes("13")).getFirst();
        assertEquals(ErrorClass.DATA, refused.errorClass());
        assertTrue(refused.getMessage().contains("ERP token request") && !refused.getMessage().contains("nope"), refused.getMessage());
    }

    @Test
    void the_connections_request_time_out_is_honoured() {
        delayMillis = 3000;
        var erp = new HttpDestination(app("/erp", HttpLimits.DEFAULTS, null, 1), new DestinationSpec("ERP", null, null, "/customers/{id}", "PUT"));
        long start = System.nanoTime();
        var failure = erp.upsertAll(writes("1")).getFirst();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorClass.TRANSIENT, failure.errorClass());
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
        assertTrue(millis < 2500, millis + " ms");
    }

    @Test
    @Timeout(20) // the server-wide time-outs are 600 s here: only the connection's own connect time-out of 1 s ends the write before this
    void the_connections_connect_time_out_is_honoured() throws IOException {
        var connectors = new Connectors();
        connectors.connectTimeoutSeconds = 600;
        connectors.requestTimeoutSeconds = 600;
        try (var hung = new HungListener()) {
            var erp = connectors.destination(ConnectionDetails.http("ERP", hung.url(), Map.of(), new HttpLimits(null, null, 1, 600), null),
                    new DestinationSpec("ERP", null, null, "/customers/{id}", "PUT"));
            var failure = erp.upsertAll(writes("1")).getFirst();
            assertEquals(ErrorClass.TRANSIENT, failure.errorClass());
            assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
            assertInstanceOf(java.net.http.HttpConnectTimeoutException.class, failure.getCause(), "the connect timed out, not the request");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
