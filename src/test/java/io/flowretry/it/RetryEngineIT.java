package io.flowretry.it;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The retry engine end to end over HTTP: schedules and timers (with the adjustable clock: the
 * server runs with FLOWRETRY_CLOCK_CONTROL=true, tests move "now" with PUT /api/test/clock and
 * timers then fire within seconds), the resync job (claims, chunks, checkpoint restart), the
 * 4-try cap, manual RESYNC, SKIPPED runs and snapshots. Sources are tables in an H2 TCP server
 * this test runs on 127.0.0.1; the destination is a real HTTP server on 127.0.0.1 that counts
 * every write.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class RetryEngineIT {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static H2Apps h2;
    private static Connection keepAlive;
    private static HttpServer erp;
    /** Writes that succeeded, per "destination/id". */
    private static final Map<String, AtomicInteger> WRITES = new ConcurrentHashMap<>();
    private static final Map<String, String> LAST_BODY = new ConcurrentHashMap<>();
    /** Destinations that answer 503, and the delay of each destination's writes (ms). */
    private static final Map<String, Boolean> DOWN = new ConcurrentHashMap<>();
    private static final Map<String, Integer> DELAY = new ConcurrentHashMap<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void apps() throws Exception {
        h2 = H2Apps.start();
        keepAlive = DriverManager.getConnection(h2.url("keep"), "sa", "");
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        erp.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        erp.createContext("/", exchange -> {
            // /{destination}/customers/{id}
            var parts = exchange.getRequestURI().getPath().split("/");
            var destination = parts[1];
            var id = parts[parts.length - 1];
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sleep(DELAY.getOrDefault(destination, 0));
            int status = DOWN.getOrDefault(destination, false) ? 503 : 200;
            if (status == 200) {
                WRITES.computeIfAbsent(destination + "/" + id, k -> new AtomicInteger()).incrementAndGet();
                LAST_BODY.put(destination + "/" + id, body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        erp.start();
    }

    @AfterAll
    static void stopApps() throws SQLException {
        erp.stop(0);
        keepAlive.close();
        h2.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private Api api() {
        return Api.at(url);
    }

    private static String unique(String prefix) {
        return prefix + SEQ.incrementAndGet() + "x" + (System.nanoTime() % 100_000);
    }

    private static long id(JsonObject o, String field) {
        var v = o.get(field);
        return v instanceof JsonNumber n ? n.longValue() : Long.parseLong(o.getString(field));
    }

    private void clock(String now) {
        var r = api().put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), "the server must run with FLOWRETRY_CLOCK_CONTROL=true: " + r);
    }

    private long environment(boolean active) {
        var r = api().post("/api/environments", "{\"name\":\"" + unique("env") + "\",\"timeZone\":\"Europe/Berlin\",\"active\":" + active + "}");
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    /** A source database with table contacts(id, email, full_name, display_name); returns its connection name. */
    private String source(String db, int rows, boolean validEmail) throws SQLException {
        try (var c = DriverManager.getConnection(h2.url(db), "sa", ""); var s = c.createStatement()) {
            s.execute("create table contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100), display_name varchar(100))");
            try (var ps = c.prepareStatement("insert into contacts values (?, ?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    ps.setString(1, "c%03d".formatted(i));
                    ps.setString(2, validEmail ? "p" + i + "@example.com" : "p" + i + "-at-example.com");
                    ps.setString(3, "Person " + i);
                    ps.setString(4, "Display " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        var name = unique("CRM");
        var r = api().post("/api/connections", """
                {"name":"%s","type":"JDBC","jdbcUrl":"%s","username":"sa","password":""}""".formatted(name, h2.url(db)));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    private static void sql(String db, String statement) throws SQLException {
        try (var c = DriverManager.getConnection(h2.url(db), "sa", ""); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** An HTTP destination: PUT /{destination}/customers/{id}; returns its connection name. */
    private String destination(String destination) {
        var name = unique("ERP");
        var r = api().post("/api/connections", """
                {"name":"%s","type":"HTTP","baseUrl":"http://127.0.0.1:%d/%s"}""".formatted(name, erp.getAddress().getPort(), destination));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    private static String flowJson(String name, String source, String destination, String nameColumn) {
        return """
                {"name":"%s","description":"contacts to customers",
                 "source":{"connection":"%s","table":"contacts","idColumn":"id"},
                 "mapping":[{"target":"email","source":"email","required":true,"pattern":"^[^@]+@[^@]+$"},
                            {"target":"name","source":"%s","required":true},
                            {"target":"country","value":"DE"}],
                 "destination":{"connection":"%s","path":"/customers/{id}","method":"PUT"}}"""
                .formatted(name, source, nameColumn, destination);
    }

    private long flow(String name, String source, String destination) {
        var r = api().post("/api/process-flows", flowJson(name, source, destination, "full_name"));
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    private JsonObject deploy(long env, long flow, String retry) {
        var r = api().post("/api/environments/" + env + "/deployments",
                "{\"flowId\":" + flow + ",\"sync\":{\"mode\":\"MANUAL\"}" + (retry == null ? "" : ",\"retry\":" + retry) + "}");
        assertTrue(r.status() == 201 || r.status() == 200, r.toString());
        return r.json();
    }

    private static String manualRetry(int batchSize) {
        return "{\"mode\":\"MANUAL\",\"frequency\":\"HOURLY\",\"intervalHours\":1,\"timeLapseMinutes\":0,\"batchSize\":" + batchSize + "}";
    }

    /** Runs the main execution, waits for its end and checks how many records failed. */
    private JsonObject execute(long deployment, int failed) {
        var e = execute(deployment);
        assertEquals(failed, e.getInt("failed"), e.toString());
        return e;
    }

    private JsonObject execute(long deployment) {
        var r = api().post("/api/deployments/" + deployment + "/executions", null);
        assertEquals(202, r.status(), r.toString());
        return awaitEnd(id(r.json(), "executionId"));
    }

    private JsonObject awaitEnd(long execution) {
        return await("execution " + execution, () -> {
            var e = api().get("/api/executions/" + execution).json();
            return "STARTED".equals(e.getString("status")) ? null : e;
        });
    }

    private List<JsonObject> bucket(long deployment) {
        var r = api().get("/api/deployments/" + deployment + "/bucket?limit=500");
        assertEquals(200, r.status(), r.toString());
        return r.json().getJsonArray("items").stream().map(JsonValue::asJsonObject).toList();
    }

    private JsonObject item(long deployment, String sourceId) {
        return bucket(deployment).stream().filter(i -> i.getString("sourceId").equals(sourceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no bucket item " + sourceId));
    }

    private long runNow(long deployment) {
        var r = api().post("/api/deployments/" + deployment + "/retry-runs", null);
        assertEquals(202, r.status(), r.toString());
        return id(r.json(), "runId");
    }

    private long resync(long deployment, String body) {
        var r = api().post("/api/deployments/" + deployment + "/resync", body);
        assertEquals(202, r.status(), r.toString());
        return id(r.json(), "runId");
    }

    private JsonObject snapshot(long run) {
        var r = api().get("/api/retry-runs/" + run);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private JsonObject finished(long run) {
        return await("run " + run, () -> {
            var s = snapshot(run);
            return "STARTED".equals(s.getString("status")) ? null : s;
        });
    }

    private static <T> T await(String what, Supplier<T> probe) {
        var deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            sleep(250);
        }
        throw new AssertionError(what + " did not happen within 90 s");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private static int writes(String destination, String sourceId) {
        var n = WRITES.get(destination + "/" + sourceId);
        return n == null ? 0 : n.get();
    }

    // ---- the customer's example -------------------------------------------------------------------

    @Test
    void customers_example_fails_at_14_is_due_from_14_20_and_is_resynced_by_the_15_00_run() throws SQLException {
        clock("2027-03-01T14:00:00Z");
        var db = unique("crm");
        var dest = unique("erp");
        long env = environment(true);
        long flow = flow(unique("flow"), source(db, 1, false), destination(dest));
        var deployed = deploy(env, flow, """
                {"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":20,"batchSize":100}""");
        long deployment = id(deployed, "deploymentId");
        // slots are the deployment's minute + k hours: deployed at 14:00 (and some milliseconds) -> 15:00:00
        var deployedAt = Instant.parse(deployed.getString("deployedAt"));
        assertTrue(Duration.between(Instant.parse("2027-03-01T14:00:00Z"), deployedAt).toSeconds() < 5, deployedAt.toString());
        var slot1500 = Instant.parse("2027-03-01T15:00:00Z");
        assertEquals(slot1500, Instant.parse(deployed.getJsonObject("retry").getString("nextRunAt")), deployed.toString());

        execute(deployment, 1);
        var failed = item(deployment, "c001");
        assertEquals("FAILED", failed.getString("status"));
        var dueAt = Instant.parse(failed.getString("dueAt"));
        long late = Duration.between(Instant.parse("2027-03-01T14:20:00Z"), dueAt).toMillis();
        assertTrue(late >= 0 && late < 5000, "failed at 14:00 (and the run's milliseconds), due 20 minutes later: " + failed);
        assertEquals(slot1500.toString(), nextRunAt(deployment));
        var listed = api().get("/api/environments/" + env + "/process-flows").array().getJsonObject(0);
        assertEquals(slot1500, Instant.parse(listed.getJsonObject("retry").getString("nextRunAt")), listed.toString());

        clock("2027-03-01T14:10:00Z");
        var at1410 = finished(runNow(deployment));
        assertEquals(0, at1410.getInt("picked"), "not due at 14:10: " + at1410);

        clock(dueAt.plusMillis(500).toString());
        var at1420 = finished(runNow(deployment));
        assertEquals(1, at1420.getInt("picked"), "due from 14:20: " + at1420);
        assertEquals(1, at1420.getInt("failed"), "still broken at the source: " + at1420);
        assertEquals(1, item(deployment, "c001").getInt("autoTries"));

        sql(db, "update contacts set email = 'p1@example.com' where id = 'c001'");
        clock("2027-03-01T14:59:57Z");
        var scheduled = await("the 15:00 run", () -> api().get("/api/deployments/" + deployment + "/retry-runs").array().stream()
                .map(JsonValue::asJsonObject)
                .filter(r -> r.containsKey("slotAt") && Instant.parse(r.getString("slotAt")).equals(slot1500)).findFirst().orElse(null));
        assertEquals("AUTO", scheduled.getString("trigger"));
        var run = finished(id(scheduled, "runId"));
        assertEquals("COMPLETED", run.getString("status"), run.toString());
        assertEquals("schedule", run.getString("startedBy"));
        assertEquals(1, run.getInt("succeeded"), run.toString());
        var resynced = item(deployment, "c001");
        assertEquals("SUCCESS", resynced.getString("status"), resynced.toString());
        assertEquals(2, resynced.getInt("tries"));
        assertEquals(2, resynced.getInt("autoTries"));
        assertEquals(1, writes(dest, "c001"));
        assertTrue(LAST_BODY.get(dest + "/c001").contains("p1@example.com"), "the fix at the source was picked up");
        assertEquals(slot1500.plus(Duration.ofHours(1)).toString(), nextRunAt(deployment), "re-armed for the next slot");

        assertEquals(200, api().delete("/api/deployments/" + deployment).status());
        var undeployed = api().get("/api/deployments/" + deployment).json().getJsonObject("retry");
        assertFalse(undeployed.containsKey("nextRunAt") && !undeployed.isNull("nextRunAt"), "undeploy cancels the timer: " + undeployed);
        assertEquals(1, bucket(deployment).size(), "the bucket stays readable");
    }

    @Test
    void a_slot_of_an_inactive_environment_leaves_a_skipped_run_with_its_reason() throws SQLException {
        clock("2027-04-01T10:00:00Z");
        long env = environment(true);
        long flow = flow(unique("flow"), source(unique("crm"), 1, false), destination(unique("erp")));
        long deployment = id(deploy(env, flow, """
                {"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":10}"""), "deploymentId");
        assertEquals(200, api().patch("/api/environments/" + env, "{\"active\":false}").status());
        clock("2027-04-01T10:59:57Z");
        var skipped = await("the skipped 11:00 slot", () -> api().get("/api/deployments/" + deployment + "/retry-runs").array().stream()
                .map(JsonValue::asJsonObject).filter(r -> "SKIPPED".equals(r.getString("status"))).findFirst().orElse(null));
        assertEquals("2027-04-01T11:00", skipped.getString("slotAt").substring(0, 16), skipped.toString());
        assertTrue(skipped.getString("reason").contains("inactive"), skipped.toString());
        assertEquals(0, skipped.getInt("picked"));
        assertNotNull(skipped.getString("finishedAt"));
        assertEquals(409, api().post("/api/deployments/" + deployment + "/retry-runs", null).status(), "no run now either");
        assertEquals(409, api().post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}").status());
        api().delete("/api/deployments/" + deployment);
    }

    @Test
    void a_daily_schedule_follows_the_environments_time_zone() throws SQLException {
        clock("2027-01-10T06:00:00Z");
        long env = environment(true); // Europe/Berlin
        long flow = flow(unique("flow"), source(unique("crm"), 1, true), destination(unique("erp")));
        long deployment = id(deploy(env, flow, """
                {"mode":"AUTO","frequency":"DAILY","dailyAt":"09:00","intervalHours":23,"timeLapseMinutes":0,"batchSize":10}"""),
                "deploymentId");
        assertEquals("2027-01-10T08:00:00Z", nextRunAt(deployment), "09:00 in Berlin");
        assertEquals(200, api().patch("/api/environments/" + env, "{\"timeZone\":\"America/New_York\"}").status());
        assertEquals("2027-01-10T14:00:00Z", nextRunAt(deployment), "09:00 in New York after the time zone changed");
        api().delete("/api/deployments/" + deployment);
    }

    private String nextRunAt(long deployment) {
        var retry = api().get("/api/deployments/" + deployment).json().getJsonObject("retry");
        return Instant.parse(retry.getString("nextRunAt")).toString();
    }

    @Test
    void slots_missed_while_the_clock_jumped_are_caught_up_by_one_run() throws SQLException {
        clock("2027-05-01T08:00:00Z");
        long env = environment(true);
        long flow = flow(unique("flow"), source(unique("crm"), 1, false), destination(unique("erp")));
        long deployment = id(deploy(env, flow, """
                {"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":10}"""), "deploymentId");
        execute(deployment, 1);
        // as if the server had been down from 08:00 to 11:30: slots 09:00, 10:00 and 11:00 were missed
        clock("2027-05-01T11:30:00Z");
        var caughtUp = await("the catch-up run", () -> api().get("/api/deployments/" + deployment + "/retry-runs").array().stream()
                .map(JsonValue::asJsonObject).findFirst().orElse(null));
        assertEquals("2027-05-01T11:00", caughtUp.getString("slotAt").substring(0, 16), "the newest missed slot: " + caughtUp);
        assertEquals(1, finished(id(caughtUp, "runId")).getInt("picked"));
        sleep(1000);
        assertEquals(1, api().get("/api/deployments/" + deployment + "/retry-runs").array().size(), "one run, not one per missed slot");
        assertEquals(1, item(deployment, "c001").getInt("autoTries"));
        assertEquals("2027-05-01T12:00", nextRunAt(deployment).substring(0, 16));
        api().delete("/api/deployments/" + deployment);
    }

    @Test
    void a_slot_that_finds_a_run_still_going_is_skipped() throws SQLException {
        clock("2027-06-01T10:00:00Z");
        var dest = unique("erp");
        long env = environment(true);
        long flow = flow(unique("flow"), source(unique("crm"), 12, true), destination(dest));
        long deployment = id(deploy(env, flow, """
                {"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":2}"""), "deploymentId");
        DOWN.put(dest, true);
        execute(deployment, 12);
        DOWN.remove(dest);
        DELAY.put(dest, 700); // 12 items at 0.7 s: the run is still going when the 11:00 slot comes
        clock("2027-06-01T10:59:50Z");
        long slow = runNow(deployment);
        clock("2027-06-01T10:59:57Z");
        var skipped = await("the skipped 11:00 slot", () -> api().get("/api/deployments/" + deployment + "/retry-runs").array().stream()
                .map(JsonValue::asJsonObject).filter(r -> "SKIPPED".equals(r.getString("status"))).findFirst().orElse(null));
        assertTrue(skipped.getString("reason").contains("run " + slow), skipped.toString());
        assertEquals("2027-06-01T11:00", skipped.getString("slotAt").substring(0, 16), skipped.toString());
        DELAY.remove(dest);
        assertEquals(12, finished(slow).getInt("succeeded"));
        api().delete("/api/deployments/" + deployment);
    }

    @Test
    void a_slot_another_server_already_claimed_is_not_run_again() throws SQLException {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")),
                "reaches into the application's database, which the embedded H2 keeps to the server");
        clock("2027-07-01T10:00:00Z");
        long env = environment(true);
        long flow = flow(unique("flow"), source(unique("crm"), 1, false), destination(unique("erp")));
        long deployment = id(deploy(env, flow, """
                {"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":10}"""), "deploymentId");
        execute(deployment, 1);
        // a second server sharing this database claims the 11:00 slot first: the claim is the run's row
        var appDb = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("flowretry.it.pgdb", "flowretry_it");
        try (var c = DriverManager.getConnection(appDb, "postgres", "");
             var insert = c.prepareStatement("""
                     insert into retry_runs (id, deployment_id, trigger_type, started_by, status, slot_at, started_at,
                                             finished_at, picked, succeeded, failed, lock_version)
                     values (nextval('app_seq'), ?, 'AUTO', 'schedule@server-2', 'COMPLETED', ?, ?, ?, 0, 0, 0, 1)""")) {
            var slot = java.sql.Timestamp.from(Instant.parse("2027-07-01T11:00:00Z"));
            insert.setLong(1, deployment);
            insert.setTimestamp(2, slot);
            insert.setTimestamp(3, slot);
            insert.setTimestamp(4, slot);
            assertEquals(1, insert.executeUpdate());
        }
        clock("2027-07-01T10:59:57Z");
        awaitTrue("the timer passed 11:00 and armed 12:00", () -> nextRunAt(deployment).startsWith("2027-07-01T12:00"));
        sleep(1000);
        var runs = api().get("/api/deployments/" + deployment + "/retry-runs").array();
        assertEquals(1, runs.size(), "only the other server's run holds the slot: " + runs);
        assertEquals("schedule@server-2", runs.getJsonObject(0).getString("startedBy"));
        assertEquals(0, item(deployment, "c001").getInt("autoTries"), "this server did not retry the item in that slot");
        api().delete("/api/deployments/" + deployment);
    }

    // ---- the cap and manual resync ------------------------------------------------------------------

    @Test
    void auto_tries_stop_at_4_and_a_manual_resync_still_runs_and_picks_up_a_fix_at_the_source() throws SQLException {
        var db = unique("crm");
        var dest = unique("erp");
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(db, 2, false), destination(dest)), manualRetry(10)), "deploymentId");
        execute(deployment, 2);
        for (int run = 1; run <= 4; run++) {
            var s = finished(runNow(deployment));
            assertEquals(2, s.getInt("picked"), "auto run " + run + ": " + s);
        }
        var exhausted = item(deployment, "c001");
        assertEquals(4, exhausted.getInt("autoTries"), exhausted.toString());
        assertEquals(4, exhausted.getInt("tries"));
        assertEquals("FAILED", exhausted.getString("status"));
        assertTrue(exhausted.getBoolean("autoRetriesExhausted"), exhausted.toString());
        assertEquals(0, finished(runNow(deployment)).getInt("picked"), "no fifth automatic try");

        long itemId = id(exhausted, "id");
        var manual = finished(resync(deployment, "{\"itemIds\":[" + itemId + "]}"));
        assertEquals("MANUAL", manual.getString("trigger"));
        assertEquals(1, manual.getInt("picked"), manual.toString());
        var afterManual = item(deployment, "c001");
        assertEquals(5, afterManual.getInt("tries"), "manual tries count in tries");
        assertEquals(4, afterManual.getInt("autoTries"), "but not in autoTries");
        var attempts = api().get("/api/bucket-items/" + itemId).json().getJsonArray("attempts");
        assertEquals("MANUAL", attempts.getJsonObject(attempts.size() - 1).getString("trigger"), attempts.toString());

        sql(db, "update contacts set email = replace(email, '-at-', '@')");
        var fixed = finished(resync(deployment, "{\"filter\":{\"sourceId\":\"c00\"}}"));
        assertEquals(2, fixed.getInt("picked"), fixed.toString());
        assertEquals(2, fixed.getInt("succeeded"));
        assertEquals("SUCCESS", item(deployment, "c002").getString("status"));
        assertEquals(1, writes(dest, "c001"));
        assertEquals(1, writes(dest, "c002"));
    }

    @Test
    void a_corrected_flow_is_picked_up_after_put_and_redeploy_and_the_snapshot_shows_it() throws SQLException {
        var db = unique("crm");
        var dest = unique("erp");
        sqlSource(db);
        var sourceName = connection(db);
        var destName = destination(dest);
        long env = environment(true);
        var flowName = unique("flow");
        long flow = flow(flowName, sourceName, destName);
        long deployment = id(deploy(env, flow, manualRetry(2)), "deploymentId");
        execute(deployment, 3);

        var put = api().put("/api/process-flows/" + flow, flowJson(flowName, sourceName, destName, "display_name"));
        assertEquals(200, put.status(), put.toString());
        var redeployed = deploy(env, flow, null);
        assertEquals(deployment, id(redeployed, "deploymentId"));
        assertEquals(2, redeployed.getInt("flowVersion"));

        long run = resync(deployment, "{\"filter\":{\"status\":\"FAILED\"}}");
        var snapshot = finished(run);
        assertEquals("COMPLETED", snapshot.getString("status"), snapshot.toString());
        assertEquals(3, snapshot.getInt("succeeded"));
        assertEquals(2, snapshot.getInt("flowVersion"));
        assertEquals("admin", snapshot.getString("startedBy"));
        assertEquals("MANUAL", snapshot.getString("trigger"));
        assertEquals(2, snapshot.getJsonObject("config").getInt("batchSize"));
        assertEquals("MANUAL", snapshot.getJsonObject("config").getString("mode"));
        assertNotNull(snapshot.getString("finishedAt"));
        assertTrue(LAST_BODY.get(dest + "/c002").contains("Display 2"), LAST_BODY.get(dest + "/c002"));

        var page1 = api().get("/api/retry-runs/" + run + "?limit=2").json();
        assertEquals(2, page1.getJsonArray("items").size());
        var first = page1.getJsonArray("items").getJsonObject(0);
        assertEquals("c001", first.getString("sourceId"));
        assertEquals("SUCCESS", first.getString("outcome"));
        assertEquals("Display 1", first.getJsonObject("input").getString("display_name"), first.toString());
        assertEquals("Display 1", first.getJsonObject("output").getString("name"), first.toString());
        assertEquals("DE", first.getJsonObject("output").getString("country"));
        var page2 = api().get("/api/retry-runs/" + run + "?limit=2&cursor=" + page1.getString("nextCursor")).json();
        assertEquals(1, page2.getJsonArray("items").size());
        assertEquals("c003", page2.getJsonArray("items").getJsonObject(0).getString("sourceId"));
        assertTrue(!page2.containsKey("nextCursor") || page2.isNull("nextCursor"), "last page");

        var list = api().get("/api/deployments/" + deployment + "/retry-runs").array();
        assertEquals(run, id(list.getJsonObject(0), "runId"), "newest first");
    }

    private void sqlSource(String db) throws SQLException {
        sql(db, "create table contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100), display_name varchar(100))");
        for (int i = 1; i <= 3; i++) {
            sql(db, "insert into contacts values ('c00%d', 'p%d@example.com', null, 'Display %d')".formatted(i, i, i));
        }
    }

    private String connection(String db) {
        var name = unique("CRM");
        var r = api().post("/api/connections", """
                {"name":"%s","type":"JDBC","jdbcUrl":"%s","username":"sa","password":""}""".formatted(name, h2.url(db)));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    // ---- the job: chunks, restart, claims ----------------------------------------------------------

    @Test
    void batch_size_7_over_50_items_commits_8_chunks() throws SQLException {
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), 50, false), destination(unique("erp"))),
                manualRetry(7)), "deploymentId");
        execute(deployment, 50);
        var run = finished(runNow(deployment));
        assertEquals(50, run.getInt("picked"), run.toString());
        var metrics = run.getJsonObject("metrics");
        assertEquals(50, metrics.getInt("readCount"), metrics.toString());
        assertEquals(50, metrics.getInt("writeCount"), metrics.toString());
        assertEquals(8, metrics.getInt("commitCount"), metrics.toString());
        assertNotNull(run.get("jobExecutionId"));
    }

    @Test
    void a_job_execution_id_of_another_servers_repository_shows_no_metrics() throws SQLException {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")),
                "reaches into the application's database, which the embedded H2 keeps to the server");
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), 3, false), destination(unique("erp"))),
                manualRetry(10)), "deploymentId");
        execute(deployment, 3);
        var here = finished(runNow(deployment));
        long jobExecution = here.getJsonNumber("jobExecutionId").longValue();
        assertEquals(3, here.getJsonObject("metrics").getInt("readCount"), here.toString());
        // a run of another server whose own repository numbered its job execution the same
        var appDb = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("flowretry.it.pgdb", "flowretry_it");
        long other;
        try (var c = DriverManager.getConnection(appDb, "postgres", "");
             var insert = c.prepareStatement("""
                     insert into retry_runs (id, deployment_id, trigger_type, started_by, status, started_at, finished_at,
                                             job_execution_id, picked, succeeded, failed, lock_version)
                     values (nextval('app_seq'), ?, 'MANUAL', 'someone@server-2', 'COMPLETED', now(), now(), ?, 1, 1, 0, 1)
                     returning id""")) {
            insert.setLong(1, deployment);
            insert.setLong(2, jobExecution);
            try (var rs = insert.executeQuery()) {
                rs.next();
                other = rs.getLong(1);
            }
        }
        var theirs = api().get("/api/retry-runs/" + other).json();
        assertEquals(jobExecution, theirs.getJsonNumber("jobExecutionId").longValue());
        assertEquals(0, theirs.getJsonObject("metrics").size(), "not this server's execution of that run: " + theirs);
    }

    @Test
    void a_stopped_run_restarts_from_its_checkpoint_and_writes_no_item_twice() throws SQLException {
        var dest = unique("erp");
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), 20, true), destination(dest)),
                manualRetry(5)), "deploymentId");
        DOWN.put(dest, true);
        execute(deployment, 20);
        DOWN.remove(dest);
        DELAY.put(dest, 150);

        long run = runNow(deployment);
        awaitTrue("the first chunk", () -> snapshot(run).getInt("picked") >= 5);
        var stop = api().post("/api/retry-runs/" + run + "/stop", null);
        assertEquals(202, stop.status(), stop.toString());
        var stopped = finished(run);
        assertEquals("FAILED", stopped.getString("status"), stopped.toString());
        assertTrue(stopped.getInt("picked") < 20, "stopped before the end: " + stopped);
        int committed = stopped.getInt("picked");

        DELAY.remove(dest);
        var restart = api().post("/api/retry-runs/" + run + "/restart", null);
        assertEquals(202, restart.status(), restart.toString());
        var done = finished(run);
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(20, done.getInt("picked"), "each item counted once over both executions: " + done);
        assertEquals(20, done.getInt("succeeded"));
        for (int i = 1; i <= 20; i++) {
            var sourceId = "c%03d".formatted(i);
            assertEquals(1, writes(dest, sourceId), sourceId + " written once (" + committed + " before the stop)");
            assertEquals(1, item(deployment, sourceId).getInt("tries"), sourceId);
        }
        assertEquals(409, api().post("/api/retry-runs/" + run + "/restart", null).status(), "a completed run does not restart");
    }

    @Test
    void a_second_execution_while_one_runs_is_refused_and_stores_nothing() throws SQLException {
        var dest = unique("erp");
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), 20, true), destination(dest)),
                manualRetry(5)), "deploymentId");
        DELAY.put(dest, 100); // 20 records at 100 ms each: the first execution runs for seconds
        var first = api().post("/api/deployments/" + deployment + "/executions", null);
        assertEquals(202, first.status(), first.toString());
        long firstId = id(first.json(), "executionId");

        var second = api().post("/api/deployments/" + deployment + "/executions", null);
        assertEquals(409, second.status(), second.toString());
        assertTrue(second.contentType().startsWith("application/problem+json"), second.contentType());
        assertEquals("deploymentId", second.problemField(), second.toString());
        assertEquals(1, api().get("/api/deployments/" + deployment + "/executions").array().size(), "no second row");

        DELAY.remove(dest);
        var done = awaitEnd(firstId);
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(20, done.getInt("succeeded"));
        execute(deployment, 0); // once it has ended, the next one starts
    }

    @Test
    void fifty_resyncs_posted_at_once_run_one_at_a_time_and_none_fails() throws Exception {
        var dest = unique("erp");
        long deployment = failedDeployment(dest, 30, 4);
        DELAY.put(dest, 30);
        var start = new java.util.concurrent.CountDownLatch(1);
        var posts = new ArrayList<CompletableFuture<Api.Reply>>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < 50; i++) {
                boolean manual = i % 5 != 0; // manual RESYNCs racing "run the automatic retry now"
                posts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return manual ? api().post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}")
                            : api().post("/api/deployments/" + deployment + "/retry-runs", null);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get();
        }
        var started = new ArrayList<Long>();
        for (var post : posts) {
            var r = post.get();
            assertTrue(r.status() == 202 || r.status() == 409, "started or refused: " + r);
            if (r.status() == 202) {
                started.add(id(r.json(), "runId"));
            } else {
                assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
                assertEquals("deploymentId", r.problemField(), r.toString());
            }
        }
        assertFalse(started.isEmpty());
        var runs = started.stream().map(this::finished).toList();
        int picked = 0;
        for (var run : runs) {
            assertEquals("COMPLETED", run.getString("status"), "no run failed at its start: " + run);
            picked += run.getInt("picked");
        }
        assertEquals(30, picked, "every item once over all runs: " + runs);
        var byStart = runs.stream().sorted(java.util.Comparator.comparing(r -> Instant.parse(r.getString("startedAt")))).toList();
        for (int i = 1; i < byStart.size(); i++) {
            assertFalse(Instant.parse(byStart.get(i).getString("startedAt")).isBefore(Instant.parse(byStart.get(i - 1).getString("finishedAt"))),
                    "one live run of a deployment at a time: " + byStart.get(i - 1) + " / " + byStart.get(i));
        }
        for (int i = 1; i <= 30; i++) {
            var sourceId = "c%03d".formatted(i);
            assertEquals(1, writes(dest, sourceId), sourceId);
            assertEquals(1, item(deployment, sourceId).getInt("tries"), sourceId);
        }
        DELAY.remove(dest);
    }

    @Test
    void run_now_while_a_manual_resync_runs_is_refused_and_stores_nothing() throws SQLException {
        var dest = unique("erp");
        long deployment = failedDeployment(dest, 12, 2);
        DELAY.put(dest, 300); // 12 items at 0.3 s: the resync runs for seconds
        long manual = resync(deployment, "{\"filter\":{}}");
        var now = api().post("/api/deployments/" + deployment + "/retry-runs", null);
        assertEquals(409, now.status(), now.toString());
        assertEquals("deploymentId", now.problemField(), now.toString());
        assertTrue(now.body().contains("run " + manual), now.toString());
        var again = api().post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}");
        assertEquals(409, again.status(), again.toString());
        assertEquals(1, api().get("/api/deployments/" + deployment + "/retry-runs").array().size(), "nothing stored by the refused starts");
        DELAY.remove(dest);
        assertEquals("COMPLETED", finished(manual).getString("status"));
        finished(runNow(deployment)); // once it has ended, the next one starts
    }

    @Test
    void a_redeploy_that_changes_the_time_lapse_makes_every_queued_record_due_at_once() throws SQLException {
        clock("2027-08-01T10:00:00Z");
        long env = environment(true);
        long flow = flow(unique("flow"), source(unique("crm"), 3, false), destination(unique("erp")));
        String lapse20 = "{\"mode\":\"MANUAL\",\"frequency\":\"HOURLY\",\"intervalHours\":1,\"timeLapseMinutes\":20,\"batchSize\":10}";
        long deployment = id(deploy(env, flow, lapse20), "deploymentId");
        execute(deployment, 3);
        var failed = item(deployment, "c001");
        var lastAttempt = Instant.parse(failed.getString("timestamp"));
        assertEquals(lastAttempt.plus(Duration.ofMinutes(20)), Instant.parse(failed.getString("dueAt")), failed.toString());
        clock("2027-08-01T10:01:00Z");
        assertEquals(0, finished(runNow(deployment)).getInt("picked"), "not due with a lapse of 20 minutes");

        assertEquals(deployment, id(deploy(env, flow, lapse20.replace("20", "0")), "deploymentId"), "a redeploy");
        var redeployed = item(deployment, "c001");
        assertEquals(lastAttempt, Instant.parse(redeployed.getString("dueAt")), "due with the lapse in force now: " + redeployed);
        var run = finished(runNow(deployment));
        assertEquals(3, run.getInt("picked"), "every queued record is due at once: " + run);
    }

    // ---- self-healing: runs whose server died (rows as a server that died leaves them) ------------

    private static String appDb() {
        return "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("flowretry.it.pgdb", "flowretry_it");
    }

    /**
     * A MANUAL run over the deployment's FAILED items as a server that died in the middle leaves it:
     * STARTED after the deployment's last execution, its last heartbeat long ago, a job execution of that server's repository, the read
     * position and counts of its last committed chunk.
     */
    private long deadRun(long deployment, String readPosition, int picked, int takeovers) throws SQLException {
        // started after the main execution's attempts (a run never takes an item attempted after it started)
        var startedAt = api().get("/api/deployments/" + deployment + "/executions").array().stream().map(JsonValue::asJsonObject)
                .map(e -> Instant.parse(e.getString("finishedAt"))).max(Instant::compareTo).orElseThrow().plusMillis(1);
        try (var c = DriverManager.getConnection(appDb(), "postgres", "");
             var insert = c.prepareStatement("""
                     insert into retry_runs (id, deployment_id, trigger_type, started_by, status, started_at, heartbeat_at,
                                             flow_version, config, selection, job_execution_id, read_position,
                                             picked, succeeded, failed, takeovers, lock_version)
                     values (nextval('app_seq'), ?, 'MANUAL', 'operator@server-2', 'STARTED', ?, ?, 1,
                             '{"mode":"MANUAL","timeLapseMinutes":0,"batchSize":5}', '{"filter":{"sourceId":"","status":"FAILED"}}',
                             987654, ?, ?, 0, ?, ?, 1)""", new String[]{"id"})) {
            insert.setLong(1, deployment);
            insert.setTimestamp(2, java.sql.Timestamp.from(startedAt));
            insert.setTimestamp(3, java.sql.Timestamp.from(Instant.parse("2001-01-01T00:00:00Z"))); // its last heartbeat, long ago
            insert.setString(4, readPosition);
            insert.setInt(5, picked);
            insert.setInt(6, picked);
            insert.setInt(7, takeovers);
            insert.executeUpdate();
            try (var keys = insert.getGeneratedKeys()) {
                assertTrue(keys.next());
                return keys.getLong(1);
            }
        }
    }

    /** A deployment (MANUAL retry, lapse 0) whose {@code records} valid records all failed the main execution: the destination was down. */
    private long failedDeployment(String dest, int records, int batchSize) throws SQLException {
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), records, true), destination(dest)),
                manualRetry(batchSize)), "deploymentId");
        DOWN.put(dest, true);
        execute(deployment, records);
        DOWN.remove(dest);
        return deployment;
    }

    @Test
    void a_run_whose_server_died_is_taken_over_and_goes_on_from_its_read_position_without_a_call() throws SQLException {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "writes the application's database as another server would");
        var dest = unique("erp");
        long deployment = failedDeployment(dest, 20, 5);
        // the dead server had committed the chunk c001..c005
        long run = deadRun(deployment, "1970-01-01T00:00:00Z|0|c005", 5, 0);
        var done = finished(run); // no API call but reads
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(1, done.getInt("takeovers"), done.toString());
        assertEquals(20, done.getInt("picked"), "5 before the crash + 15 after the read position: " + done);
        for (int i = 1; i <= 20; i++) {
            var sourceId = "c%03d".formatted(i);
            boolean after = i > 5;
            assertEquals(after ? 1 : 0, writes(dest, sourceId), sourceId);
            assertEquals(after ? 1 : 0, item(deployment, sourceId).getInt("tries"), sourceId);
            assertEquals(after ? "SUCCESS" : "FAILED", item(deployment, sourceId).getString("status"), sourceId);
        }
    }

    @Test
    void a_run_taken_over_three_times_ends_failed_with_the_reason() throws SQLException {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "writes the application's database as another server would");
        var dest = unique("erp");
        long deployment = failedDeployment(dest, 3, 5);
        long run = deadRun(deployment, null, 0, 3);
        var ended = finished(run);
        assertEquals("FAILED", ended.getString("status"), ended.toString());
        assertTrue(ended.getString("reason").contains("taken over 3 times"), ended.toString());
        assertEquals(0, writes(dest, "c001"), "given up, not run");
        var restart = api().post("/api/retry-runs/" + run + "/restart", null);
        assertEquals(202, restart.status(), "an operator may still restart it: " + restart);
        assertEquals("COMPLETED", finished(run).getString("status"));
        assertEquals(1, writes(dest, "c001"));
    }

    @Test
    void stop_and_restart_work_on_a_run_whose_server_died() throws SQLException {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "writes the application's database as another server would");
        var dest = unique("erp");
        long deployment = failedDeployment(dest, 20, 5);
        DELAY.put(dest, 300); // slow enough that a takeover by the sweep is still going when the stop comes
        long stopped = deadRun(deployment, null, 0, 0);
        var stop = api().post("/api/retry-runs/" + stopped + "/stop", null);
        assertEquals(202, stop.status(), stop.toString());
        var afterStop = finished(stopped);
        assertEquals("FAILED", afterStop.getString("status"), afterStop.toString());
        assertTrue(afterStop.getString("reason").startsWith("stopped"), afterStop.toString());
        DELAY.remove(dest);

        long dead = deadRun(deployment, null, 0, 0);
        var restart = api().post("/api/retry-runs/" + dead + "/restart", null);
        assertEquals(202, restart.status(), restart.toString());
        var done = finished(dead);
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        for (int i = 1; i <= 20; i++) {
            var sourceId = "c%03d".formatted(i);
            assertEquals(1, writes(dest, sourceId), sourceId + " written once over both runs");
        }
    }

    // ---- the API's edges ------------------------------------------------------------------------

    @Test
    void resync_requests_are_validated_and_need_an_operator() throws SQLException {
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), source(unique("crm"), 1, false), destination(unique("erp"))),
                manualRetry(10)), "deploymentId");
        execute(deployment, 1);
        int runs = api().get("/api/deployments/" + deployment + "/retry-runs").array().size();
        var path = "/api/deployments/" + deployment + "/resync";
        assertBad(api().post(path, "{}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[]}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[\"abc\"]}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[999999999]}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[1],\"filter\":{}}"), "filter");
        assertBad(api().post(path, "{\"filter\":{\"status\":\"MAYBE\"}}"), "filter.status");
        assertEquals(400, api().post(path, "{\"itemIds\":").status());
        assertEquals(404, api().post("/api/deployments/999999999/resync", "{\"filter\":{}}").status());
        assertEquals(404, api().get("/api/deployments/999999999/retry-runs").status());
        assertEquals(404, api().get("/api/retry-runs/999999999").status());

        var viewer = unique("viewer");
        assertEquals(201, api().post("/api/users", "{\"username\":\"" + viewer + "\",\"password\":\"viewer-pw-1\",\"roles\":[\"viewer\"]}").status());
        var asViewer = api().as(viewer, "viewer-pw-1");
        assertEquals(403, asViewer.post(path, "{\"filter\":{}}").status());
        assertEquals(403, asViewer.post("/api/deployments/" + deployment + "/retry-runs", null).status());
        assertEquals(403, asViewer.put("/api/test/clock", "{\"now\":\"2027-01-01T00:00:00Z\"}").status());
        assertEquals(200, asViewer.get("/api/deployments/" + deployment + "/retry-runs").status());
        assertEquals(runs, api().get("/api/deployments/" + deployment + "/retry-runs").array().size(), "nothing stored");

        var ok = api().post(path, "{\"itemIds\":[\"" + id(item(deployment, "c001"), "id") + "\"]}");
        assertEquals(202, ok.status(), "ids may be strings: " + ok);
        assertEquals("COMPLETED", finished(id(ok.json(), "runId")).getString("status"));
    }

    private static void assertBad(Api.Reply r, String field) {
        assertEquals(400, r.status(), r.toString());
        assertEquals(field, r.problemField(), r.toString());
    }

    @Test
    void a_snapshot_cuts_payloads_over_64_kib() throws SQLException {
        var db = unique("crm");
        var dest = unique("erp");
        sql(db, "create table contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100000), display_name varchar(100))");
        sql(db, "insert into contacts values ('c001', 'bad-email', '" + "x".repeat(70_000) + "', 'd')");
        long env = environment(true);
        long deployment = id(deploy(env, flow(unique("flow"), connection(db), destination(dest)), manualRetry(10)), "deploymentId");
        execute(deployment);
        var run = finished(resync(deployment, "{\"filter\":{}}"));
        var item = run.getJsonArray("items").getJsonObject(0);
        assertEquals("FAILED", item.getString("outcome"));
        assertNotNull(item.getString("error"));
        var input = item.getJsonObject("input");
        assertTrue(input.getBoolean("_truncated"), input.toString().substring(0, 200));
        assertTrue(input.getString("preview").startsWith("{"));
        assertNull(run.getString("reason", null));
    }
}
