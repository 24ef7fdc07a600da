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

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The built WAR on WildFly 39 (standalone-full.xml, Hibernate instead of EclipseLink, RESTEasy,
 * Elytron, JBeret), set up only as the README's "WildFly" section says, on the run's database (H2
 * with MicroProfile Health added here; PostgreSQL without it in the "postgres" run): deploy, health,
 * the REST API with JSON-B, an execution and a RESYNC between a real H2 source and destination this
 * test runs on 127.0.0.1, an AUTO run fired by the EJB timer (the test clock), and the console's
 * sign-in. One server for the whole class.
 */
@Tag("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyIT {

    private static final boolean POSTGRES = "postgres".equals(System.getProperty("flowretry.it.db"));
    private static WildFly wildFly;
    private static H2Apps h2;
    private static String sourceUrl;
    private static String destinationUrl;
    /** Shared by the ordered tests: the flow deployed in {@link #an_execution_moves_records_and_fails_the_bad_ones}. */
    private static long deployment;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(Boolean.getBoolean("flowretry.wildfly.skip"), "-DskipWildFly");
        h2 = H2Apps.start();
        sourceUrl = h2.url("wf_crm");
        destinationUrl = h2.url("wf_erp");
        sql(sourceUrl, "create table contacts (id int primary key, email varchar(100), full_name varchar(100))",
                "insert into contacts values (1, 'ann@example.com', 'Ann')",
                "insert into contacts values (2, 'bob-at-example.com', 'Bob')",
                "insert into contacts values (3, 'cy-at-example.com', 'Cy')");
        sql(destinationUrl, "create table customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        if (POSTGRES) {
            var database = System.getProperty("flowretry.it.pgdb", "flowretry_it") + "_wildfly";
            PostgresTestDatabase.recreate(database);
            // without health.cli: the WAR must deploy on standalone-full.xml as it ships, without MicroProfile Health
            wildFly = WildFly.start("jdbc:postgresql://127.0.0.1:5432/" + database, "postgresql.cli");
        } else {
            wildFly = WildFly.start(null, "h2.cli", "health.cli");
        }
    }

    @AfterAll
    static void stop() {
        if (wildFly != null) {
            wildFly.close();
        }
        if (h2 != null) {
            h2.close();
        }
    }

    private static Api api() {
        try {
            return Api.at(new URL("http://127.0.0.1:" + wildFly.httpPort() + "/"));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void health_is_on_the_management_port_with_the_database_check_where_microprofile_health_is_added() {
        // the deployment's marker file can come a moment before the server reports itself running (503 until then)
        var ready = await("readiness", () -> {
            var r = get("http://127.0.0.1:" + wildFly.managementPort() + "/health/ready");
            return r.statusCode() == 200 ? r : null;
        });
        var reply = new Api.Reply(ready.statusCode(), "", null, ready.body());
        if (POSTGRES) {
            // no MicroProfile Health on this run's server (no health.cli): WildFly's own health, a list of
            // {"name", "outcome", "data": [{…}]} ending with the overall {"outcome"}; the app's check is left out
            var checks = reply.array().stream().map(JsonValue::asJsonObject).toList();
            assertTrue(checks.stream().allMatch(c -> c.getBoolean("outcome")), ready.body());
            var deployments = checks.stream().filter(c -> "deployments-status".equals(c.getString("name", ""))).findFirst()
                    .orElseGet(() -> fail("WildFly's deployment check is missing: " + ready.body()));
            assertTrue(deployments.getJsonArray("data").stream().anyMatch(d -> "OK".equals(d.asJsonObject().getString("ROOT.war", ""))),
                    ready.body());
            assertTrue(checks.stream().noneMatch(c -> "database".equals(c.getString("name", ""))), ready.body());
            return;
        }
        assertEquals("UP", reply.json().getString("status"), ready.body());
        var checks = reply.json().getJsonArray("checks").stream().map(JsonValue::asJsonObject).toList();
        var deployments = checks.stream().filter(c -> "deployments-status".equals(c.getString("name"))).findFirst()
                .orElseGet(() -> fail("WildFly's deployment check is missing: " + ready.body()));
        assertEquals("OK", deployments.getJsonObject("data").getString("ROOT.war"), ready.body());
        var database = checks.stream().filter(c -> "database".equals(c.getString("name"))).findFirst()
                .orElseGet(() -> fail("the app's readiness check is missing: " + ready.body()));
        assertEquals("UP", database.getString("status"), ready.body());
        assertEquals("H2", database.getJsonObject("data").getString("product"), ready.body());
    }

    @Test
    @Order(2)
    void the_api_authenticates_with_the_apps_own_users_and_speaks_json_b() {
        assertEquals(401, api().anonymous().get("/api/environments").status());
        assertEquals(401, api().as("admin", "wrong").get("/api/environments").status());
        var created = api().post("/api/environments", "{\"name\":\"" + unique("wildfly") + "\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, created.status(), created.toString());
        // JSON-B: an ISO-8601 instant; Jackson (what RESTEasy picks when it sees Jackson annotations) writes a number
        var createdAt = created.json().get("createdAt");
        assertEquals(JsonValue.ValueType.STRING, createdAt.getValueType(), created.toString());
        Instant.parse(created.json().getString("createdAt"));
        var bad = api().post("/api/environments", "{\"name\":\"x\",\"timeZone\":\"Mars/Olympus\"}");
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.contentType().startsWith("application/problem+json"), bad.contentType());
        assertEquals("timeZone", bad.problemField());
    }

    @Test
    @Order(3)
    void an_execution_moves_records_and_fails_the_bad_ones() throws SQLException {
        clock("2027-03-01T14:00:00Z");
        var fixtures = new FlowFixtures(api());
        var crm = fixtures.jdbcConnection("CRM", sourceUrl, "sa", "");
        var erp = fixtures.jdbcConnection("ERP", destinationUrl, "sa", "");
        long flow = fixtures.flow(unique("Contacts to customers"), """
                {"connection":"%s","table":"contacts","idColumn":"id"}""".formatted(crm), """
                {"connection":"%s","table":"customers","keyColumn":"source_id"}""".formatted(erp));
        long environment = fixtures.environment(unique("env"));
        deployment = fixtures.deploy(environment, flow, 10, "{\"mode\":\"MANUAL\"}");

        var started = api().post("/api/deployments/" + deployment + "/executions", "{}");
        assertEquals(202, started.status(), started.toString());
        var execution = fixtures.awaitEnd(id(started.json(), "executionId"));
        assertEquals("COMPLETED", execution.getString("status"), execution.toString());
        assertEquals(3, execution.getInt("read"));
        assertEquals(1, execution.getInt("succeeded"));
        assertEquals(2, execution.getInt("failed"));
        assertEquals(1, count(destinationUrl, "select count(*) from customers"));

        var bucket = fixtures.bucket(deployment, "status=FAILED");
        assertEquals(2, bucket.getInt("total"), bucket.toString());
        var item = bucket.getJsonArray("items").getJsonObject(0);
        assertEquals(crm, item.getString("nodeName"));
        Instant.parse(item.getString("dueAt"));
    }

    @Test
    @Order(4)
    void resync_by_id_writes_the_fixed_record_and_leaves_a_snapshot() throws SQLException {
        sql(sourceUrl, "update contacts set email = 'bob@example.com' where id = 2");
        long item = itemId("2");
        var resync = api().post("/api/deployments/" + deployment + "/resync", "{\"itemIds\":[" + item + "]}");
        assertEquals(202, resync.status(), resync.toString());
        var run = finished(id(resync.json(), "runId"));
        assertEquals("COMPLETED", run.getString("status"), run.toString());
        assertEquals("MANUAL", run.getString("trigger"));
        assertEquals(1, run.getInt("succeeded"), run.toString());
        assertEquals("bob@example.com", string(destinationUrl, "select email from customers where source_id = '2'"));

        var snapshot = api().get("/api/retry-runs/" + id(resync.json(), "runId"));
        assertEquals(200, snapshot.status(), snapshot.toString());
        var snapshotItem = snapshot.json().getJsonArray("items").getJsonObject(0);
        assertEquals("2", snapshotItem.getString("sourceId"));
        assertEquals("bob@example.com", snapshotItem.getJsonObject("input").getString("email"), snapshot.toString());
        assertEquals("DE", snapshotItem.getJsonObject("output").getString("country"), snapshot.toString());
        var resynced = api().get("/api/bucket-items/" + item).json();
        assertEquals("SUCCESS", resynced.getString("status"), resynced.toString());
        assertEquals(1, resynced.getInt("tries"));
    }

    @Test
    @Order(5)
    void the_retry_timer_starts_the_auto_run_at_its_slot() throws SQLException {
        // deployed at 14:00 (test clock), hourly: the slot is 15:00; item 3 failed at 14:00, due from 14:20
        var retry = api().get("/api/deployments/" + deployment).json().getJsonObject("retry");
        assertEquals("2027-03-01T15:00:00Z", Instant.parse(retry.getString("nextRunAt")).toString(), retry.toString());
        sql(sourceUrl, "update contacts set email = 'cy@example.com' where id = 3");
        clock("2027-03-01T14:59:57Z");
        var auto = await("the AUTO run of the 15:00 slot", () -> api().get("/api/deployments/" + deployment + "/retry-runs")
                .array().stream().map(JsonValue::asJsonObject)
                .filter(r -> "AUTO".equals(r.getString("trigger"))).findFirst().orElse(null));
        var run = finished(id(auto, "runId"));
        assertEquals("COMPLETED", run.getString("status"), run.toString());
        assertEquals(1, run.getInt("picked"), "item 3 only: item 2 is resolved: " + run);
        assertEquals(1, run.getInt("succeeded"), run.toString());
        var item = api().get("/api/bucket-items/" + itemId("3")).json();
        assertEquals("SUCCESS", item.getString("status"), item.toString());
        assertEquals(1, item.getInt("autoTries"));
        assertEquals(3, count(destinationUrl, "select count(*) from customers"));
    }

    @Test
    @Order(6)
    void the_console_asks_for_sign_in_and_signs_in_with_the_apps_users() throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        var base = "http://127.0.0.1:" + wildFly.httpPort();
        var home = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, home.statusCode(), home.body());
        assertTrue(home.headers().firstValue("Location").orElse("").endsWith("/login.xhtml"), home.headers().toString());

        var login = http.send(HttpRequest.newBuilder(URI.create(base + "/login.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("id=\"login:username\""), login.body());
        var viewState = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(login.body());
        assertTrue(viewState.find(), login.body());

        Map<String, String> form = new HashMap<>();
        form.put("login", "login");
        form.put("login:username", "admin");
        form.put("login:password", Api.ADMIN_PASSWORD);
        form.put("login:signin", "Sign in");
        form.put("jakarta.faces.ViewState", viewState.group(1));
        var body = String.join("&", form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .toList());
        var signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertTrue(signedIn.headers().firstValue("Location").orElse("").contains("/environments/list.xhtml"), signedIn.headers().toString());

        var environments = http.send(HttpRequest.newBuilder(URI.create(base + "/environments/list.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, environments.statusCode(), environments.body());
        assertTrue(environments.body().contains("wildfly-"), "the environment created over the API is listed");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void clock(String now) {
        var r = api().put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), "the server must run with FLOWRETRY_CLOCK_CONTROL=true: " + r);
    }

    private static long itemId(String sourceId) {
        var items = new FlowFixtures(api()).bucket(deployment, "sourceId=" + sourceId).getJsonArray("items");
        assertEquals(1, items.size(), items.toString());
        return id(items.getJsonObject(0), "id");
    }

    private static JsonObject finished(long runId) {
        return await("run " + runId + " to end", () -> {
            var run = api().get("/api/retry-runs/" + runId).json();
            return "STARTED".equals(run.getString("status")) ? null : run;
        });
    }

    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var value = probe.get();
            if (value != null) {
                return value;
            }
            FlowFixtures.sleep(250);
        }
        return fail("waited 60 s for " + what + "\n" + wildFly.serverLog());
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String url, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(String url, String query) throws SQLException {
        return Long.parseLong(string(url, query));
    }

    private static String string(String url, String query) throws SQLException {
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement(); var rs = s.executeQuery(query)) {
            assertTrue(rs.next(), query);
            return rs.getString(1);
        }
    }
}
