package io.flowretry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 part 1 end to end: a real HTTP ERP on 127.0.0.1 that goes down (its server stopped:
 * connection refused) for several hourly slots (the test clock moves), then comes back; an ERP
 * that answers 429 with Retry-After; one that rejects every record (DATA); a JDBC destination
 * whose H2 database server is stopped and started again. The CRM source is a
 * real HTTP server too. The outage burns no try, pauses the run, skips the slots with the reason,
 * and the run resumes by itself once a probe finds the ERP answering.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.MethodName.class)
@Tag("postgres")
class OutageIT {

    private static final int CONTACTS = 12;
    private static HttpServer crm;
    private static HttpServer erp;
    private static int erpPort;
    private static String crmBase;
    /** What the ERP at /{name}/customers/{id} does: "ok", "429" (Retry-After 120), "422". */
    private static final Map<String, String> MODE = new ConcurrentHashMap<>();
    private static final AtomicInteger WRITES = new AtomicInteger();
    /** The webhook alerts received (bodies). */
    private static final List<String> ALERTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void apps() throws IOException {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/crm/list", exchange -> {
            var items = new StringBuilder();
            for (int i = 1; i <= CONTACTS; i++) {
                items.append(i == 1 ? "" : ",").append(contact("c%02d".formatted(i)));
            }
            answer(exchange, 200, "{\"items\":[" + items + "]}", Map.of());
        });
        crm.createContext("/alerts", exchange -> {
            ALERTS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200, "", Map.of());
        });
        crm.createContext("/crm/contacts/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/crm/contacts/".length());
            answer(exchange, 200, contact(id), Map.of());
        });
        crm.start();
        crmBase = "http://127.0.0.1:" + crm.getAddress().getPort() + "/crm";
        erp = startErp(0);
        erpPort = erp.getAddress().getPort();
    }

    private static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"p" + id + "@example.com\",\"full_name\":\"Person " + id + "\"}";
    }

    private static HttpServer startErp(int port) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", OutageIT::erp);
        server.start();
        return server;
    }

    private static boolean erpDown;

    private static void erpUp() throws IOException {
        if (erpDown) {
            erp = startErp(erpPort);
            erpDown = false;
        }
    }

    private static void erp(HttpExchange exchange) throws IOException {
        var parts = exchange.getRequestURI().getPath().split("/");
        String mode = parts.length > 1 ? MODE.getOrDefault(parts[1], "ok") : "ok";
        exchange.getRequestBody().readAllBytes();
        if (!"PUT".equals(exchange.getRequestMethod())) {
            answer(exchange, "429".equals(mode) ? 429 : 404, "", "429".equals(mode) ? Map.of("Retry-After", "120") : Map.of());
            return;
        }
        switch (mode) {
            case "429" -> answer(exchange, 429, "slow down", Map.of("Retry-After", "120"));
            case "422" -> answer(exchange, 422, "{\"error\":\"rejected\"}", Map.of());
            default -> {
                WRITES.incrementAndGet();
                answer(exchange, 200, "{}", Map.of());
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stopApps() {
        crm.stop(0);
        erp.stop(0);
    }

    private Api api() {
        return Api.at(url);
    }

    private void clock(Instant now) {
        var r = api().put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), r.toString());
    }

    private record Flow(long deploymentId, long environmentId, String erpName, long erpId) {
    }

    /** CRM (HTTP, {@value #CONTACTS} contacts c01..) to the ERP at /{path}; the bucket filled by a main run whose writes all fail. */
    private Flow flow(String path, String retry) {
        var erpName = new FlowFixtures(api()).httpConnection("ERP", "http://127.0.0.1:" + erpPort + "/" + path, "{}");
        return flow(erpName, """
                {"connection":"%s","path":"/customers/{id}","method":"PUT"}""".formatted(erpName), retry);
    }

    /** CRM (HTTP) to the destination node {@code destination} of connection {@code erpName}. */
    private Flow flow(String erpName, String destination, String retry) {
        var f = new FlowFixtures(api());
        var crmName = f.httpConnection("CRM", crmBase, "{}");
        long erpId = api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(erpName)).mapToLong(c -> id(c, "id")).findFirst().orElseThrow();
        long flow = f.flow(unique("Outage"), """
                {"connection":"%s","listPath":"/list","itemPath":"/contacts/{id}","idField":"id"}""".formatted(crmName), destination);
        long env = f.environment(unique("env"));
        var r = api().post("/api/environments/" + env + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},"retry":%s}""".formatted(flow, retry));
        assertEquals(201, r.status(), r.toString());
        return new Flow(id(r.json(), "deploymentId"), env, erpName, erpId);
    }

    /** The main run: every write fails while the ERP is down or refuses, so all contacts land in the bucket. */
    private void fillBucket(Flow flow) {
        var f = new FlowFixtures(api());
        var execution = f.execute(flow.deploymentId());
        assertEquals(CONTACTS, execution.getInt("failed"), execution.toString());
    }

    private List<JsonObject> items(Flow flow) {
        return new FlowFixtures(api()).allItems(flow.deploymentId(), "", 500);
    }

    private JsonObject run(long runId) {
        return api().get("/api/retry-runs/" + runId).json();
    }

    private List<JsonObject> runs(Flow flow) {
        return api().get("/api/deployments/" + flow.deploymentId() + "/retry-runs").array().stream().map(v -> v.asJsonObject()).toList();
    }

    private JsonObject status(Flow flow) {
        var r = api().get("/api/connections/" + flow.erpId() + "/status");
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static final String HOURLY = "{\"mode\":\"AUTO\",\"frequency\":\"HOURLY\",\"intervalHours\":1,\"timeLapseMinutes\":0,\"batchSize\":50}";
    private static final String MANUAL = "{\"mode\":\"MANUAL\",\"frequency\":\"HOURLY\",\"intervalHours\":1,\"timeLapseMinutes\":0,\"batchSize\":50}";

    @Test
    void a_an_erp_down_for_three_slots_burns_no_try_pauses_skips_and_recovers_by_itself() throws Exception {
        clock(Instant.parse("2027-05-03T09:00:00Z")); // slots at 10:00, 11:00, ...
        var flow = flow("down", HOURLY);
        assertEquals("UP", status(flow).getString("state"));
        var channel = api().post("/api/alert-channels", "{\"name\":\"" + unique("outages") + "\",\"type\":\"WEBHOOK\",\"url\":\""
                + crmBase.replace("/crm", "/alerts") + "\",\"events\":[\"CONNECTION_DOWN\"]}");
        assertEquals(201, channel.status(), channel.toString());
        erp.stop(0); // connection refused from now on
        erpDown = true;
        fillBucket(flow);

        clock(Instant.parse("2027-05-03T10:00:00Z")); // slot 1: the run trips the breaker and pauses
        var paused = await("the 10:00 run paused", () -> runs(flow).stream()
                .filter(r -> "PAUSED".equals(r.getString("status"))).findFirst().orElse(null));
        assertTrue(paused.getString("reason").matches(java.util.regex.Pattern.quote(flow.erpName()) + " unreachable: connection refused"),
                paused.toString());
        assertEquals(0, paused.getInt("succeeded"));
        assertEquals(0, paused.getInt("failed"), "the outage's records are no failures of the run");
        var down = status(flow);
        assertEquals("DOWN", down.getString("state"));
        assertTrue(down.getString("lastError").contains("connection refused"), down.toString());
        assertTrue(down.getString("since").startsWith("2027-05-03T10:0"), down.toString());
        var alert = await("the CONNECTION_DOWN alert", () -> ALERTS.stream().filter(a -> a.contains("CONNECTION_DOWN")
                && a.contains("connection " + flow.erpName() + " is DOWN")).findFirst().orElse(null));
        assertTrue(alert.contains("unreachable: connection refused"), alert);
        var test = api().post("/api/connections/" + flow.erpId() + "/test", null);
        assertEquals(200, test.status(), test.toString());
        assertFalse(test.json().getBoolean("ok"));
        assertTrue(test.json().getString("error").contains("connection refused"), test.toString());
        assertTrue(test.json().getInt("latencyMs") >= 0);

        for (String slot : List.of("11:00", "12:00", "13:00")) {
            clock(Instant.parse("2027-05-03T" + slot + ":00Z"));
            await("the " + slot + " slot", () -> runs(flow).size() >= 2 + List.of("11:00", "12:00", "13:00").indexOf(slot) ? true : null);
        }
        var all = runs(flow);
        assertEquals(4, all.size(), all.toString());
        for (var skipped : all.subList(0, 3)) {
            assertEquals("SKIPPED", skipped.getString("status"), skipped.toString());
            assertEquals(flow.erpName() + " unreachable: connection refused", skipped.getString("reason"));
        }
        assertEquals("PAUSED", run(paused.getInt("runId")).getString("status"), "still paused: the ERP is still down");
        for (var item : items(flow)) {
            assertEquals(0, item.getInt("tries"), item.toString());
            assertEquals(0, item.getInt("autoTries"), item.toString());
            assertEquals("QUEUED", item.getString("queueState"));
        }
        var timeline = api().get("/api/bucket-items/" + id(items(flow).getFirst(), "id")).json().getJsonArray("attempts");
        assertEquals(List.of("MAIN:FAILED", "AUTO:SKIPPED_OUTAGE"), timeline.stream()
                .map(v -> v.asJsonObject().getString("trigger") + ":" + v.asJsonObject().getString("outcome")).toList());
        var metrics = await("the connection gauge", () -> {
            var body = api().get("/metrics").body();
            return body.contains("flowretry_connection_up{connection=\"" + flow.erpName() + "\"} 0.0") ? body : null;
        });
        assertTrue(metrics.contains("flowretry_connection_up{connection=\""));
        banners(flow);

        int writesBefore = WRITES.get();
        erpUp(); // back
        clock(Instant.parse("2027-05-03T13:30:00Z")); // the probe is due: the ERP answers, the paused run resumes
        var resumed = await("the paused run resumed and completed", () -> {
            var r = run(paused.getInt("runId"));
            return "COMPLETED".equals(r.getString("status")) ? r : null;
        });
        assertEquals(CONTACTS, resumed.getInt("succeeded"), resumed.toString());
        assertEquals(CONTACTS, WRITES.get() - writesBefore, "each record written once, from the paused run's read position");
        assertEquals(0, resumed.getInt("failed"));
        assertEquals("UP", status(flow).getString("state"));
        for (var item : items(flow)) {
            assertEquals("RESOLVED", item.getString("queueState"), item.toString());
            assertEquals(1, item.getInt("tries"), "one try: the one that succeeded");
            assertEquals(1, item.getInt("autoTries"));
        }
        var ok = api().post("/api/connections/" + flow.erpId() + "/test", null).json();
        assertTrue(ok.getBoolean("ok"), ok.toString());
        assertFalse(ok.containsKey("error"));
    }

    /** Chromium: the outage banner on the Process Flows tab and the Resync Bucket window, the Test connection button. */
    private void banners(Flow flow) {
        try (var b = new Browser(api().base()).login("admin", Api.ADMIN_PASSWORD)) {
            b.open("/environments/view.xhtml?id=" + flow.environmentId());
            var tab = b.text(By.cssSelector("[id$='outage']"));
            assertTrue(tab.contains(flow.erpName() + " is DOWN") && tab.contains("connection refused"), tab);
            b.open("/bucket/view.xhtml?deployment=" + flow.deploymentId());
            assertTrue(b.text(By.id("outage")).contains(flow.erpName() + " is DOWN"));
            b.open("/connections/edit.xhtml?id=" + flow.erpId());
            b.find(By.id("health:test")).click();
            b.until(d -> b.text(By.id("health:testResult")).contains("connection refused") ? true : null);
        }
    }

    @Test
    void b_a_429_with_retry_after_backs_the_erp_off_for_that_long_and_charges_no_try() throws IOException {
        erpUp();
        clock(Instant.parse("2027-05-04T09:30:00Z"));
        var flow = flow("busy", MANUAL);
        MODE.put("busy", "429");
        fillBucket(flow);
        var started = api().post("/api/deployments/" + flow.deploymentId() + "/retry-runs", null);
        assertEquals(202, started.status(), started.toString());
        long runId = id(started.json(), "runId");
        var paused = await("the run paused", () -> "PAUSED".equals(run(runId).getString("status")) ? run(runId) : null);
        assertEquals(flow.erpName() + " unreachable: HTTP 429 (Retry-After 120 s)", paused.getString("reason"));
        var down = status(flow);
        assertEquals("DOWN", down.getString("state"));
        assertTrue(down.getString("lastError").endsWith("; Retry-After 120 s"), down.toString());
        for (var item : items(flow)) {
            assertEquals(0, item.getInt("tries"), item.toString());
        }
        MODE.put("busy", "ok");
        clock(Instant.parse("2027-05-04T09:31:00Z")); // within the 120 s: no probe, still paused
        FlowFixtures.sleep(3000);
        assertEquals("PAUSED", run(runId).getString("status"));
        assertEquals("DOWN", status(flow).getString("state"));
        clock(Instant.parse("2027-05-04T09:36:00Z")); // after it: probed, UP, resumed
        var done = await("the run resumed", () -> "COMPLETED".equals(run(runId).getString("status")) ? run(runId) : null);
        assertEquals(CONTACTS, done.getInt("succeeded"), done.toString());
        for (var item : items(flow)) {
            assertEquals(1, item.getInt("tries"), item.toString());
        }
    }

    @Test
    void c_data_failures_never_trip_the_breaker() throws IOException {
        erpUp();
        clock(Instant.parse("2027-05-05T09:30:00Z"));
        var flow = flow("rejects", MANUAL);
        MODE.put("rejects", "422");
        fillBucket(flow);
        var started = api().post("/api/deployments/" + flow.deploymentId() + "/retry-runs", null);
        long runId = id(started.json(), "runId");
        var done = await("the run ended", () -> "STARTED".equals(run(runId).getString("status")) ? null : run(runId));
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(CONTACTS, done.getInt("failed"));
        assertEquals("UP", status(flow).getString("state"));
        for (var item : items(flow)) {
            assertEquals(1, item.getInt("tries"), "a DATA failure is the record's fault: a try");
            assertEquals("DATA", item.getString("errorClass"));
        }
    }

    @Test
    void d_a_jdbc_destination_whose_database_server_is_down_burns_no_try_and_recovers_by_itself() throws Exception {
        clock(Instant.parse("2027-05-06T09:00:00Z")); // slots at 10:00, 11:00, ...
        try (var apps = H2Apps.onDisk()) {
            var db = unique("erp").toLowerCase();
            apps.sql(db, "create table customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
            var erpName = new FlowFixtures(api()).jdbcConnection("ERP", apps.url(db), "sa", "");
            var flow = flow(erpName, """
                    {"connection":"%s","table":"customers","keyColumn":"source_id"}""".formatted(erpName), HOURLY);

            apps.stop(); // the ERP's database server is down: connection refused
            fillBucket(flow);
            clock(Instant.parse("2027-05-06T10:00:00Z"));
            var paused = await("the 10:00 run paused", () -> runs(flow).stream()
                    .filter(r -> "PAUSED".equals(r.getString("status"))).findFirst().orElse(null));
            assertTrue(paused.getString("reason").startsWith(erpName + " unreachable: "), paused.toString());
            assertEquals(0, paused.getInt("failed"), "the outage's records are no failures of the run");
            assertEquals("DOWN", status(flow).getString("state"));
            for (var item : items(flow)) {
                assertEquals(0, item.getInt("tries"), item.toString());
                assertEquals("QUEUED", item.getString("queueState"));
            }

            apps.restart();
            clock(Instant.parse("2027-05-06T10:30:00Z")); // the probe is due: the database answers, the run resumes
            var resumed = await("the paused run resumed and completed", () -> {
                var r = run(paused.getInt("runId"));
                return "COMPLETED".equals(r.getString("status")) ? r : null;
            });
            assertEquals(CONTACTS, resumed.getInt("succeeded"), resumed.toString());
            assertEquals(CONTACTS, apps.number(db, "select count(*) from customers"), "one row per record");
            assertEquals(CONTACTS, apps.number(db, "select count(distinct source_id) from customers"));
            assertEquals("UP", status(flow).getString("state"));
            for (var item : items(flow)) {
                assertEquals("RESOLVED", item.getString("queueState"), item.toString());
                assertEquals(1, item.getInt("tries"), "one try: the one that succeeded");
            }
        }
    }

    private static <T> T await(String what, Supplier<T> probe) {
        var deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            FlowFixtures.sleep(250);
        }
        throw new AssertionError(what + " did not happen within 120 s");
    }
}
