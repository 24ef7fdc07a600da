package io.flowretry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowretry.connectors.control.IdempotencyKey;
import io.flowretry.platform.entity.SecretBox;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.sleep;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTP apps as a SaaS serves them (issue 12, parts 2 and 3), against a real HTTP server on 127.0.0.1 started by
 * the test: a CRM that wants a Bearer token and answers several ids at once ({@code itemsPath}), ERPs that
 * answer after a delay and count the requests they have in flight, and an OAuth2 token endpoint. Proves the
 * in-flight cap, the rate limit, {@code itemsPath}, the token fetched once / kept / fetched again after a 401,
 * Basic and Bearer, the Idempotency-Key, the per-connection time-out, masking and sealing, the 400s, and that a
 * run stuck on a slow app does not keep another deployment's run from claiming and finishing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class HttpAppsIT {

    private static final int CONTACTS = 40;
    private static final String CRM_TOKEN = "crm-token-1";
    private static HttpServer server;
    private static String base;
    private static final AtomicInteger crmBatchGets = new AtomicInteger();
    private static final AtomicInteger crmItemGets = new AtomicInteger();
    private static final AtomicInteger crmUnsigned = new AtomicInteger();
    private static final AtomicInteger tokenFetches = new AtomicInteger();
    private static volatile String validToken = "none yet";
    private static final Map<String, Erp> erps = new ConcurrentHashMap<>();

    /** One destination app under {@code /erp-NAME/customers/{id}}: its latency, its answers and what it saw. */
    static final class Erp {
        volatile long latencyMillis;
        volatile boolean busy;
        volatile String requiredAuthorization;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<Long> startedNanos = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> keys = new ConcurrentHashMap<>();

        void reset() {
            peak.set(inFlight.get());
            startedNanos.clear();
            keys.clear();
        }
    }

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void apps() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/crm/contacts", HttpAppsIT::crm);
        server.createContext("/idp/token", HttpAppsIT::token);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String contact(int id) {
        return "{\"id\":" + id + ",\"email\":\"c" + id + "@example.com\",\"full_name\":\"Contact " + id + "\"}";
    }

    /** GET /crm/contacts (all), /crm/contacts?ids=1,2 (those asked), /crm/contacts/{id}; only with the Bearer token. */
    private static void crm(HttpExchange exchange) throws IOException {
        if (!("Bearer " + CRM_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            crmUnsigned.incrementAndGet();
            answer(exchange, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        var uri = exchange.getRequestURI();
        if (uri.getPath().equals("/crm/contacts") && uri.getRawQuery() != null && uri.getRawQuery().startsWith("ids=")) {
            crmBatchGets.incrementAndGet();
            var ids = URLDecoder.decode(uri.getRawQuery().substring(4), StandardCharsets.UTF_8).split(",");
            List<String> found = new ArrayList<>();
            for (var id : ids) {
                found.add(contact(Integer.parseInt(id)));
            }
            answer(exchange, 200, "[" + String.join(",", found) + "]");
        } else if (uri.getPath().equals("/crm/contacts")) {
            answer(exchange, 200, "[" + String.join(",", IntStream.rangeClosed(1, CONTACTS).mapToObj(HttpAppsIT::contact).toList()) + "]");
        } else {
            crmItemGets.incrementAndGet();
            answer(exchange, 200, contact(Integer.parseInt(uri.getPath().substring("/crm/contacts/".length()))));
        }
    }

    /** The client-credentials grant for client {@code app} / {@code s3cret}: a new token each time. */
    private static void token(HttpExchange exchange) throws IOException {
        var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var basic = "Basic " + Base64.getEncoder().encodeToString("app:s3cret".getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization")) || !body.startsWith("grant_type=client_credentials")) {
            answer(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        validToken = "erp-token-" + tokenFetches.incrementAndGet();
        answer(exchange, 200, "{\"access_token\":\"" + validToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private static Erp erp(String name) {
        var erp = new Erp();
        erps.put(name, erp);
        server.createContext("/erp-" + name + "/customers/", exchange -> {
            erp.peak.accumulateAndGet(erp.inFlight.incrementAndGet(), Math::max);
            erp.startedNanos.add(System.nanoTime());
            var id = exchange.getRequestURI().getPath().substring(("/erp-" + name + "/customers/").length());
            var key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            erp.keys.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(String.valueOf(key));
            var auth = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.getRequestBody().readAllBytes();
            sleep(erp.latencyMillis);
            // answered from here on: the product may see the answer and send the next request before this thread goes on
            erp.inFlight.decrementAndGet();
            var required = "oauth".equals(erp.requiredAuthorization) ? "Bearer " + validToken : erp.requiredAuthorization;
            if (required != null && !required.equals(auth)) {
                erp.refused.incrementAndGet();
                answer(exchange, 401, "{\"error\":\"invalid_token\"}");
            } else if (erp.busy) {
                answer(exchange, 503, "busy");
            } else {
                answer(exchange, 200, "{}");
            }
        });
        return erp;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the product gave up waiting (its time-out): nothing to answer
        }
    }

    private Api api() {
        return Api.at(url);
    }

    /** An HTTP connection from the JSON members given (name and type added); returns its name and id. */
    private record Conn(String name, long id) {
    }

    private Conn connection(String prefix, String members) {
        var name = unique(prefix);
        var r = api().post("/api/connections", "{\"name\":\"" + name + "\",\"type\":\"HTTP\"," + members + "}");
        assertEquals(201, r.status(), r.toString());
        return new Conn(name, id(r.json(), "id"));
    }

    private String crm(boolean itemsPath) {
        return connection("CRM", "\"baseUrl\":\"" + base + "/crm\",\"auth\":{\"type\":\"BEARER\",\"token\":\"" + CRM_TOKEN + "\"}").name()
                + (itemsPath ? "|items" : "");
    }

    /** Deploys CRM contacts → this ERP connection with the batch size; returns the deployment id. */
    private long deploy(String crm, String erpName, int batchSize) {
        var f = new FlowFixtures(api());
        boolean items = crm.endsWith("|items");
        var source = crm.replace("|items", "");
        long flow = f.flow(unique("Contacts over HTTP"), """
                {"connection":"%s","listPath":"/contacts","itemPath":"/contacts/{id}","idField":"id"%s}"""
                .formatted(source, items ? ",\"itemsPath\":\"/contacts?ids={ids}\"" : ""), """
                {"connection":"%s","path":"/customers/{id}","method":"PUT"}""".formatted(erpName));
        return f.deploy(f.environment(unique("env")), flow, batchSize, "{\"mode\":\"MANUAL\"}");
    }

    private long resync(long deployment) {
        var r = api().post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}");
        assertEquals(202, r.status(), r.toString());
        return id(r.json(), "runId");
    }

    private JsonObject finished(long run) {
        return await("run " + run, () -> {
            var s = api().get("/api/retry-runs/" + run).json();
            return "STARTED".equals(s.getString("status")) ? null : s;
        });
    }

    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            sleep(100);
        }
        return fail(what + " did not happen within 120 s");
    }

    @Test
    void a_chunk_is_worked_concurrently_capped_at_max_concurrency_and_read_with_one_request_by_items_path() {
        var erp = erp("cap");
        erp.latencyMillis = 100;
        erp.busy = true;
        var erpConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-cap\",\"maxConcurrency\":4");
        long deployment = deploy(crm(true), erpConn.name(), 20);
        var f = new FlowFixtures(api());

        var execution = f.execute(deployment);
        assertEquals(CONTACTS, execution.getInt("failed"), execution.toString());
        assertEquals(4, erp.peak.get(), "the main run's writes: 4 at once, never more");
        long executionId = id(execution, "executionId");
        assertEquals(IdempotencyKey.of(deployment, "7", "main-" + executionId), erp.keys.get("7").getFirst());

        erp.busy = false;
        erp.reset();
        int itemGets = crmItemGets.get();
        int batchGets = crmBatchGets.get();
        long start = System.nanoTime();
        var run = finished(resync(deployment));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("COMPLETED", run.getString("status"), run.toString());
        assertEquals(CONTACTS, run.getInt("succeeded"), run.toString());
        assertEquals(4, erp.peak.get(), "the resync's writes: 4 at once, never more");
        assertEquals(2, crmBatchGets.get() - batchGets, "one GET ?ids= per chunk of 20");
        assertEquals(0, crmItemGets.get() - itemGets, "no read by single id");
        assertEquals(0, crmUnsigned.get(), "the CRM's Bearer token went with every request");
        System.out.println("HttpAppsIT: resync of " + CONTACTS + " at maxConcurrency 4, 100 ms per write: " + millis + " ms");

        var keys = new HashSet<String>();
        for (int id = 1; id <= CONTACTS; id++) {
            var sent = erp.keys.get(String.valueOf(id));
            assertEquals(List.of(IdempotencyKey.of(deployment, String.valueOf(id), "try-1")), sent,
                    "one write per record, its key from deployment, source id and attempt");
            keys.add(sent.getFirst());
        }
        assertEquals(CONTACTS, keys.size());
        assertNotEquals(IdempotencyKey.of(deployment, "7", "main-" + executionId), erp.keys.get("7").getFirst(),
                "another attempt, another key");
    }

    @Test
    void requests_per_second_holds_the_rate_and_basic_auth_signs_each_write() {
        var erp = erp("rate");
        erp.requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString("svc:pw-9".getBytes(StandardCharsets.UTF_8));
        var erpConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-rate\",\"maxConcurrency\":8,\"requestsPerSecond\":10,"
                + "\"auth\":{\"type\":\"BASIC\",\"username\":\"svc\",\"password\":\"pw-9\"}");
        long deployment = deploy(crm(false), erpConn.name(), 40);

        var execution = new FlowFixtures(api()).execute(deployment);
        assertEquals(CONTACTS, execution.getInt("succeeded"), execution.toString());
        assertEquals(0, erp.refused.get(), "Basic credentials on every write");
        var starts = new ArrayList<>(erp.startedNanos);
        starts.sort(Long::compare);
        assertEquals(CONTACTS, starts.size());
        double spanSeconds = (starts.getLast() - starts.getFirst()) / 1e9;
        assertTrue(spanSeconds >= 3.8, "40 writes at 10/s span at least 3.9 s: " + spanSeconds);
        int most = 0;
        for (int i = 0; i < starts.size(); i++) {
            int j = i;
            while (j < starts.size() && starts.get(j) - starts.get(i) < 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        // the product spaces the sends 100 ms apart; on a loaded machine one may reach the app a little late and the next on time
        assertTrue(most <= 12, "at most 10 (+2 of scheduling jitter) arrived in any second: " + most);
        System.out.println("HttpAppsIT: 40 writes at requestsPerSecond 10 spanned " + spanSeconds + " s, at most " + most + " in a second");
    }

    @Test
    void oauth2_token_is_fetched_once_kept_and_fetched_again_once_after_a_401_and_its_secret_masked_and_sealed() throws Exception {
        var erp = erp("oauth");
        erp.requiredAuthorization = "oauth";
        var erpConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-oauth\",\"auth\":{\"type\":\"OAUTH2_CLIENT_CREDENTIALS\","
                + "\"tokenUrl\":\"" + base + "/idp/token\",\"clientId\":\"app\",\"clientSecret\":\"s3cret\",\"scope\":\"customers:write\"}");
        var shown = api().get("/api/connections/" + erpConn.id()).json();
        assertEquals(8, shown.getInt("maxConcurrency"), "the default");
        var auth = shown.getJsonObject("auth");
        assertEquals("OAUTH2_CLIENT_CREDENTIALS", auth.getString("type"));
        assertEquals("***", auth.getString("clientSecret"));
        assertEquals("app", auth.getString("clientId"));
        assertFalse(api().get("/api/connections").body().contains("s3cret"), "never over the API");

        // the masked secret sent back keeps the stored one (the runs below sign in with it)
        var put = api().put("/api/connections/" + erpConn.id(), Json.createObjectBuilder().add("name", erpConn.name())
                .add("baseUrl", base + "/erp-oauth").add("maxConcurrency", 6).add("auth", auth).build().toString());
        assertEquals(200, put.status(), put.toString());
        assertEquals(6, put.json().getInt("maxConcurrency"));

        long deployment = deploy(crm(false), erpConn.name(), 20);
        var f = new FlowFixtures(api());
        int before = tokenFetches.get();
        assertEquals(CONTACTS, f.execute(deployment).getInt("succeeded"));
        assertEquals(before + 1, tokenFetches.get(), "one token for 40 writes");
        assertEquals(CONTACTS, f.execute(deployment).getInt("succeeded"));
        assertEquals(before + 1, tokenFetches.get(), "kept for the next run");

        validToken = "revoked";
        erp.refused.set(0);
        assertEquals(CONTACTS, f.execute(deployment).getInt("succeeded"), "each write refused once, then sent again");
        assertEquals(before + 2, tokenFetches.get(), "one new token after the 401s");
        assertTrue(erp.refused.get() >= 1 && erp.refused.get() <= 6, "at most the writes in flight saw the old token: " + erp.refused.get());

        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "the H2 file is locked by the server");
        var dataDir = Path.of("target", "it-data-postgres").toAbsolutePath();
        var box = new SecretBox(Base64.getDecoder().decode(Files.readString(dataDir.resolve("secret.key")).trim()), List.of());
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("flowretry.it.pgdb", "flowretry_it"), "postgres", "");
             var select = c.prepareStatement("select auth, max_concurrency from connections where id = ?")) {
            select.setLong(1, erpConn.id());
            try (var rows = select.executeQuery()) {
                assertTrue(rows.next());
                var stored = rows.getString("auth");
                assertTrue(stored.startsWith(SecretBox.PREFIX) && !stored.contains("s3cret"), "sealed: " + stored);
                assertTrue(box.open(stored).contains("\"clientSecret\":\"s3cret\""), "the mask kept the secret");
                assertEquals(6, rows.getInt("max_concurrency"));
            }
        }
    }

    @Test
    void the_connections_request_time_out_is_honoured() {
        var erp = erp("slow");
        erp.latencyMillis = 4000;
        var erpConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-slow\",\"maxConcurrency\":40,"
                + "\"requestTimeoutSeconds\":1,\"connectTimeoutSeconds\":2");
        long deployment = deploy(crm(false), erpConn.name(), 40);
        long start = System.nanoTime();
        var execution = new FlowFixtures(api()).execute(deployment);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CONTACTS, execution.getInt("failed"), execution.toString());
        var items = new FlowFixtures(api()).allItems(deployment, "", 100);
        assertEquals(CONTACTS, items.size());
        for (var item : items) {
            assertEquals("TRANSIENT", item.getString("errorClass"));
            assertTrue(item.getString("lastError").contains("timed out"), item.getString("lastError"));
        }
        assertTrue(millis < 4000 + 3000, "given up after 1 s, not after the app's 4 s: " + millis + " ms");
    }

    @Test
    void a_run_waiting_on_a_slow_app_does_not_keep_another_runs_claims_from_finishing() {
        var stall = erp("stall");
        stall.busy = true;
        var fast = erp("fast");
        fast.busy = true;
        var stallConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-stall\",\"maxConcurrency\":1");
        var fastConn = connection("ERP", "\"baseUrl\":\"" + base + "/erp-fast\",\"maxConcurrency\":8");
        long slowDeployment = deploy(crm(true), stallConn.name(), 5);
        long alone = deploy(crm(true), fastConn.name(), 10);
        long beside = deploy(crm(true), fastConn.name(), 10);
        var f = new FlowFixtures(api());
        for (long deployment : List.of(slowDeployment, alone, beside)) {
            assertEquals(CONTACTS, f.execute(deployment).getInt("failed"));
        }
        stall.busy = false;
        fast.busy = false;
        fast.latencyMillis = 20;

        long start = System.nanoTime();
        assertEquals(CONTACTS, finished(resync(alone)).getInt("succeeded"));
        long aloneMillis = (System.nanoTime() - start) / 1_000_000;

        stall.latencyMillis = 3000;
        long slowRun = resync(slowDeployment);
        await("the slow run's first write", () -> stall.inFlight.get() == 1 ? true : null);
        start = System.nanoTime();
        var fastRun = finished(resync(beside));
        long besideMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CONTACTS, fastRun.getInt("succeeded"), fastRun.toString());
        var slow = api().get("/api/retry-runs/" + slowRun).json();
        assertEquals("STARTED", slow.getString("status"), "still on its first chunk of 5 (15 s): " + slow);
        assertTrue(slow.getInt("succeeded", 0) <= 5, slow.toString());
        assertTrue(besideMillis < 12_000, "finished long before the slow chunk's 15 s: " + besideMillis + " ms");
        System.out.println("HttpAppsIT: a 40-item resync took " + aloneMillis + " ms alone and " + besideMillis
                + " ms while another run held 5 claims waiting on a 3 s app (" + System.getProperty("flowretry.it.db", "h2") + ")");

        stall.latencyMillis = 0;
        var ended = finished(slowRun);
        assertEquals(CONTACTS, ended.getInt("succeeded"), ended.toString());
    }

    @Test
    void out_of_range_limits_and_incomplete_auth_are_400_naming_the_field_and_store_nothing() {
        var name = unique("ERP");
        int before = api().get("/api/connections").array().size();
        for (var bad : List.of(
                new String[]{"\"maxConcurrency\":0", "maxConcurrency"},
                new String[]{"\"maxConcurrency\":65", "maxConcurrency"},
                new String[]{"\"maxConcurrency\":\"8\"", "maxConcurrency"},
                new String[]{"\"requestsPerSecond\":0", "requestsPerSecond"},
                new String[]{"\"requestsPerSecond\":-1.5", "requestsPerSecond"},
                new String[]{"\"requestTimeoutSeconds\":0", "requestTimeoutSeconds"},
                new String[]{"\"connectTimeoutSeconds\":3601", "connectTimeoutSeconds"},
                new String[]{"\"auth\":{\"type\":\"NTLM\"}", "auth.type"},
                new String[]{"\"auth\":{\"type\":\"BEARER\"}", "auth.token"},
                new String[]{"\"auth\":{\"type\":\"BASIC\",\"username\":\"u\"}", "auth.password"},
                new String[]{"\"auth\":{\"type\":\"OAUTH2_CLIENT_CREDENTIALS\",\"tokenUrl\":\"file:///etc/passwd\",\"clientId\":\"a\",\"clientSecret\":\"b\"}", "auth.tokenUrl"},
                new String[]{"\"auth\":{\"type\":\"OAUTH2_CLIENT_CREDENTIALS\",\"tokenUrl\":\"" + base + "/idp/token\",\"clientId\":\"a\"}", "auth.clientSecret"})) {
            var r = api().post("/api/connections", "{\"name\":\"" + name + "\",\"type\":\"HTTP\",\"baseUrl\":\"" + base + "/erp\"," + bad[0] + "}");
            assertEquals(400, r.status(), bad[0] + " " + r);
            assertEquals("application/problem+json", r.contentType(), r.toString());
            assertEquals(bad[1], r.problemField(), bad[0] + " " + r);
        }
        var flow = api().post("/api/process-flows", """
                {"name":"%s","source":{"connection":"%s","listPath":"/contacts","itemPath":"/contacts/{id}","idField":"id",
                 "itemsPath":"/contacts?ids=all"},
                 "mapping":[{"target":"email","source":"email"}],"destination":{"connection":"%s","path":"/customers/{id}"}}"""
                .formatted(unique("flow"), crm(false), crm(false)));
        assertEquals(400, flow.status(), flow.toString());
        assertEquals("source.itemsPath", flow.problemField(), flow.toString());
        assertEquals(before + 2, api().get("/api/connections").array().size(), "only the two CRM connections of the flow");
    }
}
