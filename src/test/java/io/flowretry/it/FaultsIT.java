package io.flowretry.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.sleep;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The run engine under faults (issue 11), on PostgreSQL with servers of the test's own
 * ({@link PayaraMicro}: kill -9, restart on the same port and data, two servers on one database),
 * the lease at 6 s (failsafe's FLOWRETRY_RUN_LEASE_SECONDS) and a statement time-out of 3 s. The
 * source and destination are PostgreSQL databases of this test ({@code engine_faults_src},
 * {@code engine_faults_dst}); the destination tables log every write and can be slowed down, row by
 * row, by a trigger. Every case ends with the {@link Ledger}: per source id one destination row,
 * tries = attempts, no attempt twice in one run. The tests run in order: the first two share the
 * 20,000 records and the crashes (server "one" dies mid main execution and server "two" takes it
 * over; then "two" dies mid resync and is restarted); the third starts "one" again for a resync both
 * servers work and kills it mid-run; the others run on "two".
 */
@Tag("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final int RECORDS = 20_000;
    private static final String SECRET_KEY = java.util.Base64.getEncoder().encodeToString("faults-it-key-of-32-bytes-length".getBytes());
    private static final int BATCH = 100;
    private static final String SRC = "engine_faults_src";
    private static final String DST = "engine_faults_dst";
    /** The servers' own database: the suite's shared one holds secrets sealed under the Arquillian servers' key. */
    private static final String APP = "engine_faults_app";
    private static final String APP_URL = "jdbc:postgresql://127.0.0.1:5432/" + APP;
    private static final String SRC_URL = "jdbc:postgresql://127.0.0.1:5432/" + SRC;
    private static final String DST_URL = "jdbc:postgresql://127.0.0.1:5432/" + DST;

    private static PayaraMicro one;
    private static PayaraMicro two;
    private static long environment;
    private static String source;
    private static String destination;
    /** The deployment of the 20,000 records (cases 1 to 3). */
    private static long big;

    @BeforeAll
    static void servers() throws Exception {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "kill -9 and two servers need the shared PostgreSQL database");
        PostgresTestDatabase.recreate(APP);
        PostgresTestDatabase.recreate(SRC);
        PostgresTestDatabase.recreate(DST);
        sql(DST_URL, "create table slowness (delay_ms numeric not null)");
        sql(DST_URL, "insert into slowness values (0)");
        sql(DST_URL, """
                create function slow_write() returns trigger language plpgsql as $$
                begin perform pg_sleep(delay_ms / 1000.0) from slowness where delay_ms > 0; return new; end $$""");
        // one after the other: two servers first started at once on an empty database both create
        // the admin user, and the second's deployment fails on the duplicate (AdminBootstrap)
        one = server("one").start();
        two = server("two").start();
        var fixtures = new FlowFixtures(one.api());
        environment = fixtures.environment(unique("faults"));
        source = fixtures.jdbcConnection("CRM", SRC_URL, "postgres", "");
        destination = fixtures.jdbcConnection("ERP", DST_URL, "postgres", "");
    }

    private static PayaraMicro server(String name) {
        // servers sharing a database need the same key to open each other's sealed connection secrets
        return PayaraMicro.named("faults-" + name).env("FLOWRETRY_JDBC_STATEMENT_TIMEOUT_SECONDS", "3")
                .env("FLOWRETRY_SECRET_KEY", SECRET_KEY)
                .env("DB_URL", APP_URL).env("DB_USER", "postgres").env("DB_PASSWORD", "");
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        for (var server : new PayaraMicro[]{one, two}) {
            if (server != null) {
                server.kill9();
            }
        }
    }

    // ---- 1. two servers, one dies mid main execution ----------------------------------------------

    @Test
    @Order(1)
    void one_of_two_servers_killed_mid_main_execution_the_other_takes_it_over_after_the_lease_and_reads_each_record_once()
            throws Exception {
        seed("a", RECORDS);
        big = deploy(one.api(), "a", "MANUAL", 0);
        var started = one.api().post("/api/deployments/" + big + "/executions", null);
        assertEquals(202, started.status(), started.toString());
        long execution = id(started.json(), "executionId");
        var before = poll(one.api(), "/api/executions/" + execution, e -> e.getInt("read") >= 2_000, 300);
        assertEquals("STARTED", before.getString("status"), "killed mid-run: " + before);
        var killedAt = Instant.now();
        one.kill9();

        var done = poll(two.api(), "/api/executions/" + execution, e -> !"STARTED".equals(e.getString("status")), 600);
        assertTrue(Duration.between(killedAt, Instant.now()).toSeconds() >= 6, "taken over once the 6 s lease had passed");
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(1, done.getInt("takeovers"), done.toString());
        assertEquals(RECORDS, done.getInt("read"), "each record counted once over both jobs: " + done);
        assertEquals(RECORDS, done.getInt("failed"), done.toString());
        var books = ledger("customers_a").assertBalanced(big);
        assertEquals(RECORDS, books.size(), "one bucket item per failed record");
        books.values().forEach(e -> {
            assertEquals(1, e.mainAttempts(), "read once by the main execution: " + e);
            assertEquals("FAILED", e.status(), e.toString());
            assertEquals(0, e.tries(), e.toString());
        });
    }

    // ---- 2. kill -9 mid resync, restart ------------------------------------------------------------

    @Test
    @Order(2)
    void a_resync_of_20000_records_killed_mid_run_completes_after_a_restart_without_an_api_call() throws Exception {
        assumeTrue(big > 0, "needs case 1's records");
        fix("a");
        var writesBefore = Ledger.writes(DST_URL, "customers_a");
        slow(0.2);
        long run = resync(two.api(), big, "{\"filter\":{}}");
        var before = poll(two.api(), "/api/retry-runs/" + run + "?limit=1", r -> r.getInt("picked") >= 2_000, 300);
        assertEquals("STARTED", before.getString("status"), "killed mid-run: " + before);
        two.kill9();
        slow(0);
        two.start(); // no API call after it: the sweep takes the run over

        var done = poll(two.api(), "/api/retry-runs/" + run + "?limit=1", r -> !"STARTED".equals(r.getString("status")), 600);
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertEquals(1, done.getInt("takeovers"), done.toString());
        assertEquals(RECORDS, done.getInt("picked"), "each record picked once over both jobs: " + done);
        assertEquals(RECORDS, done.getInt("succeeded"), done.toString());
        var books = ledger("customers_a").assertBalanced(big);
        books.values().forEach(e -> {
            assertEquals("SUCCESS", e.status(), e.toString());
            assertEquals(1, e.tries(), e.toString());
            assertEquals(1, e.destinationRows(), e.toString());
        });
        Ledger.assertWrittenOnce(writesBefore, Ledger.writes(DST_URL, "customers_a"), books.keySet(), BATCH);
    }

    // ---- 3. two servers work one resync, one dies mid-run ------------------------------------------

    @Test
    @Order(3)
    void one_of_two_servers_working_a_resync_killed_mid_run_the_other_finishes_it_after_the_lease() throws Exception {
        var survivor = live();
        one.start(); // dead since case 1; same port and data, the same agent again
        var api = one.api();
        seed("e", 3_000);
        long deployment = deploy(api, "e", "MANUAL", 0);
        new FlowFixtures(api).execute(deployment);
        fix("e");
        var writesBefore = Ledger.writes(DST_URL, "customers_e");
        slow(3); // 3,000 writes at 3 ms: about 10 s of destination time, so both servers are at it when one dies
        long run = resync(api, deployment, "{\"filter\":{}}");
        // the run starts on "one"; "two" joins it as a worker on its next fleet poll (RetryRuns#join)
        var before = poll(60, "both servers working run " + run, () -> {
            var r = api.get("/api/retry-runs/" + run + "?limit=1");
            return r.status() == 200 && r.json().getInt("picked") >= 300 && workers(run) == 2 ? r.json() : null;
        });
        assertEquals("STARTED", before.getString("status"), "killed mid-run: " + before);
        var killedAt = Instant.now();
        one.kill9();
        slow(0);

        // no API call: "two" finishes it, by the final pass of its worker once "one" is no longer live,
        // or by taking the run over once its heartbeat expired
        var done = poll(survivor.api(), "/api/retry-runs/" + run + "?limit=1", r -> !"STARTED".equals(r.getString("status")), 300);
        assertTrue(Duration.between(killedAt, Instant.now()).toSeconds() >= 3,
                "finished only once the dead server's heartbeat (renewed every lease / 2) had aged past the 6 s lease");
        assertEquals("COMPLETED", done.getString("status"), done.toString());
        assertTrue(done.getInt("takeovers") <= 1, done.toString());
        assertEquals(3_000, done.getInt("picked"), "each record picked once over both servers' jobs: " + done);
        assertEquals(3_000, done.getInt("succeeded"), done.toString());
        var books = ledger("customers_e").assertBalanced(deployment);
        assertEquals(3_000, books.size());
        books.values().forEach(e -> {
            assertEquals("SUCCESS", e.status(), e.toString());
            assertEquals(1, e.tries(), e.toString());
            assertEquals(1, e.destinationRows(), e.toString());
        });
        // what the dead server had in flight (one chunk) may have reached the destination and be sent again
        Ledger.assertWrittenOnce(writesBefore, Ledger.writes(DST_URL, "customers_e"), books.keySet(), BATCH);
    }

    /** How many agents worked the run (rows of {@code run_workers}). */
    private static int workers(long run) {
        try (var c = DriverManager.getConnection(APP_URL, "postgres", "");
             var ps = c.prepareStatement("select count(distinct agent_id) from run_workers where run_id = ?")) {
            ps.setLong(1, run);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- 4. fifty resyncs at once ------------------------------------------------------------------

    @Test
    @Order(4)
    void fifty_resync_posts_at_once_each_complete_or_are_refused_and_none_fails() throws Exception {
        var api = live().api();
        var f = new FlowFixtures(api);
        seed("b", 300);
        long deployment = deploy(api, "b", "MANUAL", 0);
        f.execute(deployment);
        fix("b");
        slow(1);
        var gate = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return api.post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}");
                }, pool));
            }
            gate.countDown();
            int started = 0;
            for (var reply : replies) {
                var r = reply.join();
                assertTrue(r.status() == 202 || r.status() == 409, r.toString());
                if (r.status() == 202) {
                    started++;
                    var run = poll(api, "/api/retry-runs/" + id(r.json(), "runId") + "?limit=1",
                            s -> !"STARTED".equals(s.getString("status")), 120);
                    assertEquals("COMPLETED", run.getString("status"), run.toString());
                }
            }
            assertTrue(started >= 1, "one of them ran");
        } finally {
            pool.shutdownNow();
            slow(0);
        }
        var runs = api.get("/api/deployments/" + deployment + "/retry-runs").array().stream().map(JsonValue::asJsonObject).toList();
        assertResyncedOnce(runs, 300, deployment, "b");
    }

    // ---- 5. a manual RESYNC racing the scheduled run -----------------------------------------------

    @Test
    @Order(5)
    void a_manual_resync_racing_a_scheduled_run_leaves_each_record_tried_by_one_of_them() throws Exception {
        var server = live();
        var api = server.api();
        var f = new FlowFixtures(api);
        clock(api, "2027-08-01T10:00:00Z");
        seed("c", 200);
        long deployment = deploy(api, "c", "AUTO", 0);
        f.execute(deployment);
        fix("c");
        slow(5); // 200 records at 5 ms: each run lasts a second, so the two meet
        clock(api, "2027-08-01T10:59:59Z");
        var manual = api.post("/api/deployments/" + deployment + "/resync", "{\"filter\":{}}");
        assertTrue(manual.status() == 202 || manual.status() == 409, manual.toString());
        var slot = poll(api, "/api/deployments/" + deployment + "/retry-runs", 60, runs -> runs.stream()
                .filter(r -> r.containsKey("slotAt") && !r.isNull("slotAt")).findFirst().orElse(null));
        var runs = poll(api, "/api/deployments/" + deployment + "/retry-runs", 120, all ->
                all.stream().noneMatch(r -> "STARTED".equals(r.getString("status"))) ? all : null);
        slow(0);
        assertTrue(List.of("COMPLETED", "SKIPPED").contains(runs.stream().filter(r -> id(r, "runId") == id(slot, "runId"))
                .findFirst().orElseThrow().getString("status")), runs.toString());
        assertResyncedOnce(runs, 200, deployment, "c");
    }

    /** No run FAILED, each record picked by exactly one of the runs, and every record SUCCESS after one try. */
    private static void assertResyncedOnce(List<JsonObject> runs, int records, long deployment, String prefix) throws SQLException {
        assertTrue(runs.stream().noneMatch(r -> "FAILED".equals(r.getString("status"))), runs.toString());
        assertEquals(records, runs.stream().mapToInt(r -> r.getInt("picked")).sum(), "each record picked by one run: " + runs);
        var books = ledger("customers_" + prefix).assertBalanced(deployment);
        assertEquals(records, books.size());
        books.values().forEach(e -> {
            assertEquals("SUCCESS", e.status(), e.toString());
            assertEquals(1, e.tries(), e.toString());
        });
    }

    // ---- 6. a locked destination table -------------------------------------------------------------

    @Test
    @Order(6)
    void a_locked_destination_table_pauses_the_run_after_the_statement_time_out_costs_no_try_and_resumes_when_it_answers() throws Exception {
        var api = live().api();
        var f = new FlowFixtures(api);
        seed("d", 50);
        long deployment = deploy(api, "d", "MANUAL", 0);
        f.execute(deployment);
        fix("d");
        int triesBefore = ledger("customers_d").assertBalanced(deployment).values().stream().mapToInt(Ledger.Entry::tries).sum();
        long run;
        try (var lock = DriverManager.getConnection(DST_URL, "postgres", "")) {
            lock.setAutoCommit(false);
            try (var s = lock.createStatement()) {
                s.execute("lock table customers_d in access exclusive mode");
            }
            var t0 = Instant.now();
            run = resync(api, deployment, "{\"filter\":{}}");
            var ended = poll(api, "/api/retry-runs/" + run + "?limit=1", r -> !"STARTED".equals(r.getString("status")), 60);
            var took = Duration.between(t0, Instant.now());
            lock.rollback();
            assertTrue(took.toSeconds() < 45, "the chunk gave up after the 3 s statement time-out, not one per record: " + took);
            // 50 time-outs in a row are an outage of the destination (issue 12's breaker): the run pauses
            // naming it and charges no record a try
            assertEquals("PAUSED", ended.getString("status"), ended.toString());
            assertTrue(ended.getString("reason").contains(destination), ended.toString());
            assertEquals(0, ended.getInt("failed"), ended.toString());
        }
        var books = ledger("customers_d").assertBalanced(deployment);
        assertEquals(50, books.size());
        books.values().forEach(e -> {
            assertEquals("FAILED", e.status(), e.toString());
            assertEquals("QUEUED", e.queueState(), "still due: " + e);
            assertEquals(0, e.destinationRows(), e.toString());
        });
        assertEquals(triesBefore, books.values().stream().mapToInt(Ledger.Entry::tries).sum(), "an outage costs no try");

        // the lock is gone: a test of the connection finds it answering, and the paused run resumes by itself
        long connectionId = api.get("/api/connections").array().getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(destination)).findFirst().orElseThrow().getJsonNumber("id").longValue();
        var test = api.post("/api/connections/" + connectionId + "/test", "{}");
        assertEquals(200, test.status(), test.toString());
        assertTrue(test.json().getBoolean("ok"), test.toString());
        var done = poll(api, "/api/retry-runs/" + run + "?limit=1", r -> "COMPLETED".equals(r.getString("status")), 120);
        assertEquals(50, done.getInt("succeeded"), "once the lock is gone the records go through: " + done);
        var after = ledger("customers_d").assertBalanced(deployment);
        assertEquals(triesBefore + 50, after.values().stream().mapToInt(Ledger.Entry::tries).sum(), "no try lost or added");
        after.values().forEach(e -> assertEquals("SUCCESS", e.status(), e.toString()));
    }

    // ---- fixtures --------------------------------------------------------------------------------

    private static PayaraMicro live() {
        assumeTrue(two != null && two.isAlive(), "no server left");
        return two;
    }

    /**
     * The case's source table {@code contacts_P} with rows {@code P00001..}, every e-mail failing
     * the mapping until {@link #fix} corrects it, and its destination table {@code customers_P}
     * (slowed by {@link #slow}, its writes logged for the {@link Ledger}).
     */
    private static void seed(String prefix, int rows) throws SQLException {
        sql(SRC_URL, "create table contacts_" + prefix + " (id varchar(20) primary key, email varchar(100), full_name varchar(100))");
        sql(SRC_URL, "insert into contacts_" + prefix + " select '" + prefix + "' || lpad(x::text, 5, '0'),"
                + " 'p' || x || '-at-example.com', 'Person ' || x from generate_series(1, " + rows + ") x");
        var table = "customers_" + prefix;
        sql(DST_URL, "create table " + table + " (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        sql(DST_URL, "create trigger " + table + "_slow before insert or update on " + table + " for each row execute function slow_write()");
        Ledger.logWrites(DST_URL, table);
    }

    private static void fix(String prefix) throws SQLException {
        sql(SRC_URL, "update contacts_" + prefix + " set email = replace(email, '-at-', '@')");
    }

    /** Deploys a flow from {@code contacts_P} to {@code customers_P}, batch size {@value #BATCH}. */
    private static long deploy(Api api, String prefix, String mode, int lapse) {
        long flow = new FlowFixtures(api).flow(unique("faults"),
                "{\"connection\":\"" + source + "\",\"table\":\"contacts_" + prefix + "\",\"idColumn\":\"id\"}",
                "{\"connection\":\"" + destination + "\",\"table\":\"customers_" + prefix + "\",\"keyColumn\":\"source_id\"}");
        var r = api.post("/api/environments/" + environment + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},
                 "retry":{"mode":"%s","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":%d,"batchSize":%d}}"""
                .formatted(flow, mode, lapse, BATCH));
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "deploymentId");
    }

    private static Ledger ledger(String table) {
        return Ledger.of(APP_URL).destination(DST_URL, table, "source_id");
    }

    /** Every destination write sleeps this long (ms), so a run is still going when a test kills its server. */
    private static void slow(double ms) throws SQLException {
        sql(DST_URL, "update slowness set delay_ms = " + ms);
    }

    private static long resync(Api api, long deployment, String body) {
        var r = api.post("/api/deployments/" + deployment + "/resync", body);
        assertEquals(202, r.status(), r.toString());
        return id(r.json(), "runId");
    }

    private static void clock(Api api, String now) {
        var r = api.put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), r.toString());
    }

    private static JsonObject poll(Api api, String path, Predicate<JsonObject> until, int seconds) {
        return poll(seconds, path, () -> {
            var r = api.get(path);
            return r.status() == 200 && until.test(r.json()) ? r.json() : null;
        });
    }

    private static <T> T poll(Api api, String path, int seconds, java.util.function.Function<List<JsonObject>, T> until) {
        return poll(seconds, path, () -> {
            var r = api.get(path);
            return r.status() == 200 ? until.apply(r.array().stream().map(JsonValue::asJsonObject).toList()) : null;
        });
    }

    private static <T> T poll(int seconds, String what, Supplier<T> probe) {
        var deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            sleep(100);
        }
        throw new AssertionError(what + " did not get there within " + seconds + " s");
    }

    private static void sql(String url, String statement) throws SQLException {
        try (var c = DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
