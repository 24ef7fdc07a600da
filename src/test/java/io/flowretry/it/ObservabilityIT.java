package io.flowretry.it;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.URL;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The served observability surface on the built WAR: /openapi, /metrics (values checked after runs
 * with known outcomes), /health. Source and destination are an H2 TCP server the test starts on 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@org.junit.jupiter.api.Tag("postgres")
class ObservabilityIT {

    /** The paths of shared/api.md that exist in the code today, as METHOD + template with the names left out. */
    static final Set<String> CONTRACT = Set.of(
            "POST /api/environments", "GET /api/environments", "GET /api/environments/{}", "PATCH /api/environments/{}",
            "GET /api/environments/{}/process-flows", "POST /api/connections", "GET /api/connections",
            "GET /api/connections/{}", "POST /api/process-flows", "PUT /api/process-flows/{}", "GET /api/process-flows",
            "GET /api/process-flows/{}", "POST /api/environments/{}/deployments", "GET /api/deployments/{}",
            "DELETE /api/deployments/{}", "POST /api/deployments/{}/executions", "GET /api/executions/{}",
            "GET /api/deployments/{}/bucket", "GET /api/bucket-items/{}", "POST /api/deployments/{}/resync",
            "POST /api/deployments/{}/retry-runs", "GET /api/deployments/{}/retry-runs", "GET /api/retry-runs/{}",
            "POST /api/retry-runs/{}/stop", "POST /api/retry-runs/{}/restart");

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private static H2Apps h2;
    private static String sourceUrl;
    private static String destinationUrl;

    @BeforeAll
    static void apps() throws Exception {
        h2 = H2Apps.start();
        sourceUrl = h2.url("obs_src");
        destinationUrl = h2.url("obs_dst");
        receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        // an HTTP destination app: 503 while DESTINATION_DOWN, else a slow 200 (a run that takes a while)
        receiver.createContext("/dest", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (!DESTINATION_DOWN.get()) {
                FlowFixtures.sleep(300);
            }
            exchange.sendResponseHeaders(DESTINATION_DOWN.get() ? 503 : 200, -1);
            exchange.close();
        });
        receiver.createContext("/", exchange -> {
            var body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/down") && DOWN.get() ? 503 : 200;
            if (status == 200) {
                RECEIVED.add(new Received(exchange.getRequestURI().getPath(), body,
                        exchange.getRequestHeaders().getFirst("X-FlowRetry-Signature")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopApps() {
        if (h2 != null) {
            h2.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void openapi_is_the_products_own_valid_document_open_without_credentials() {
        var api = Api.at(url).anonymous();
        var yaml = api.get("/openapi?format=yaml");
        assertEquals(200, yaml.status(), yaml.toString());
        assertTrue(yaml.contentType().startsWith("application/yaml"), yaml.contentType());
        var json = api.get("/openapi");
        assertEquals(200, json.status(), json.toString());
        assertTrue(json.contentType().startsWith("application/json"), json.contentType());

        var options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(yaml.body(), null, options);
        assertEquals(List.of(), parsed.getMessages());
        var openApi = parsed.getOpenAPI();
        assertEquals("Process Flow Retry", openApi.getInfo().getTitle());
        assertEquals("basic", openApi.getComponents().getSecuritySchemes().get("basicAuth").getScheme());
        assertEquals(openApi, new OpenAPIV3Parser().readContents(json.body(), null, options).getOpenAPI());

        var served = new TreeSet<String>();
        var ids = new ArrayList<String>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            served.add(method + " " + path.replaceAll("\\{[^}]*}", "{}"));
            ids.add(op.getOperationId());
            op.getResponses().forEach((code, response) -> {
                if (code.compareTo("400") >= 0) {
                    assertEquals("#/components/schemas/Problem",
                            response.getContent().get("application/problem+json").getSchema().get$ref(), path + " " + code);
                }
            });
        }));
        var missing = new TreeSet<>(CONTRACT);
        missing.removeAll(served);
        assertEquals(new TreeSet<String>(), missing);
        assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate operationIds: " + ids);
        assertTrue(ids.containsAll(List.of("listEnvironments", "resyncBucket")), ids.toString());
    }

    @Test
    void metrics_need_the_metrics_role_and_health_stays_open() {
        var api = Api.at(url);
        user(api, "prom-" + System.nanoTime() % 100000, "metrics");
        var viewer = "view-" + System.nanoTime() % 100000;
        user(api, viewer, "viewer");
        assertEquals(401, api.anonymous().get("/metrics").status());
        assertEquals(403, api.as(viewer, PASSWORD).get("/metrics").status());
        var scraped = api.as(prom, PASSWORD).get("/metrics");
        assertEquals(200, scraped.status(), scraped.toString());
        assertTrue(scraped.contentType().startsWith("text/plain"), scraped.contentType());
        assertEquals(200, api.get("/metrics").status(), "an admin may scrape too");
        // the metrics user may do nothing else
        assertEquals(403, api.as(prom, PASSWORD).get("/api/environments").status());
        assertEquals(200, api.anonymous().get("/health").status());
        var ready = api.anonymous().get("/health/ready");
        assertEquals(200, ready.status(), ready.toString());
        assertTrue(ready.body().contains("\"database\""), ready.body());
    }

    @Test
    void readiness_reports_the_database_and_this_servers_agent_with_the_fleets_counts() {
        var api = Api.at(url);
        var ready = api.anonymous().get("/health/ready");
        assertEquals(200, ready.status(), ready.toString());
        var json = ready.json();
        assertEquals("UP", json.getString("status"), ready.body());
        var checks = json.getJsonArray("checks").getValuesAs(JsonObject.class);
        var database = checks.stream().filter(c -> c.getString("name").equals("database")).findFirst().orElseThrow();
        assertEquals("UP", database.getString("status"), ready.body());
        var agents = checks.stream().filter(c -> c.getString("name").equals("agents")).findFirst()
                .orElseThrow(() -> new AssertionError("no agents check: " + ready.body()));
        assertEquals("UP", agents.getString("status"), ready.body());
        var data = agents.getJsonObject("data");
        assertEquals("CONNECTED", data.getString("state"), ready.body());
        // this server's agent as the API lists it: same id, same name
        var fleet = api.get("/api/agents").array().getValuesAs(JsonObject.class);
        var self = fleet.stream().filter(a -> a.getJsonNumber("id").longValue() == number(data, "id"))
                .findFirst().orElseThrow(() -> new AssertionError("agent " + data + " not in " + fleet));
        assertEquals(self.getString("name"), data.getString("name"));
        assertTrue(number(data, "connected") >= 1, ready.body());
        assertEquals(fleet.size(), number(data, "connected") + number(data, "disconnected"), ready.body());
    }

    /** A health check's number: Payara writes check data values as JSON strings. */
    private static long number(JsonObject data, String key) {
        var value = data.get(key);
        return value instanceof jakarta.json.JsonString s ? Long.parseLong(s.getString()) : ((jakarta.json.JsonNumber) value).longValue();
    }

    @Test
    void metrics_after_an_execution_and_a_resync_with_known_outcomes() throws SQLException {
        var api = Api.at(url);
        var f = new FlowFixtures(api);
        sql(sourceUrl, "create table m_contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100))",
                "insert into m_contacts values ('m1', 'ann@example.com', 'Ann'), ('m2', 'bob-at-example', 'Bob'),"
                        + " ('m3', 'cy@example.com', 'Cy'), ('m4', 'dee-at-example', 'Dee'), ('m5', 'eve@example.com', 'Eve')");
        sql(destinationUrl, "create table m_customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        var crm = f.jdbcConnection("CRM", sourceUrl, "sa", "");
        var erp = f.jdbcConnection("ERP", destinationUrl, "sa", "");
        long flow = f.flow(FlowFixtures.unique("metrics flow"), """
                {"connection":"%s","table":"m_contacts","idColumn":"id"}""".formatted(crm), """
                {"connection":"%s","table":"m_customers","keyColumn":"source_id"}""".formatted(erp));
        var envName = FlowFixtures.unique("metrics-env");
        long env = f.environment(envName);
        long deployment = deployManual(api, env, flow);
        var d = String.valueOf(deployment);

        assertEquals(2, f.execute(deployment).getInt("failed"));
        sql(sourceUrl, "update m_contacts set email = 'bob@example.com' where id = 'm2'");
        var run = finishedRun(api, resync(api, deployment));
        assertEquals("COMPLETED", run.getString("status"), run.toString());

        // the run's end is counted after its commit, on the job's thread: wait for the last meter it records
        var m = awaitMetrics(api, p -> p.value("flowretry_bucket_items", "deployment", d, "state", "resolved") == 1
                && p.value("flowretry_run_duration_seconds_count", "deployment", d, "trigger", "manual") == 1);
        assertEquals(1, m.value("flowretry_bucket_items", "environment", envName, "deployment", d, "state", "queued"));
        assertEquals(0, m.value("flowretry_bucket_items", "deployment", d, "state", "exhausted"));
        assertEquals(0, m.value("flowretry_bucket_items", "deployment", d, "state", "parked"));
        assertEquals(1, m.value("flowretry_runs_total", "deployment", d, "trigger", "manual", "status", "completed"));
        assertEquals(1, m.value("flowretry_run_items_total", "deployment", d, "trigger", "manual", "outcome", "success"));
        assertEquals(1, m.value("flowretry_run_items_total", "deployment", d, "trigger", "manual", "outcome", "failed"));
        assertEquals(1, m.value("flowretry_run_duration_seconds_count", "deployment", d, "trigger", "manual"));
        assertEquals(1, m.value("flowretry_run_duration_seconds_bucket", "deployment", d, "trigger", "manual", "le", "+Inf"));
        // the failed item is due 20 min after its try: nothing is overdue yet
        assertEquals(0, m.value("flowretry_oldest_queued_seconds", "deployment", d));

        // a second run: the counters add up
        assertEquals("COMPLETED", finishedRun(api, resync(api, deployment)).getString("status"));
        m = awaitMetrics(api, p -> p.value("flowretry_run_duration_seconds_count", "deployment", d, "trigger", "manual") == 2);
        assertEquals(2, m.value("flowretry_runs_total", "deployment", d, "trigger", "manual", "status", "completed"));
        assertEquals(1, m.value("flowretry_run_items_total", "deployment", d, "trigger", "manual", "outcome", "success"));
        assertEquals(2, m.value("flowretry_run_items_total", "deployment", d, "trigger", "manual", "outcome", "failed"));

        // one hour later the queued item has been due for 40 minutes
        clock(api, Instant.now().plus(Duration.ofHours(1)));
        m = awaitMetrics(api, p -> p.value("flowretry_oldest_queued_seconds", "deployment", d) > 0);
        double overdue = m.value("flowretry_oldest_queued_seconds", "deployment", d);
        assertTrue(overdue > 40 * 60 - 120 && overdue < 40 * 60 + 120, "overdue " + overdue);
    }

    @Test
    void retention_deletes_resolved_items_then_snapshot_items_and_executions_and_never_a_failed_record() throws SQLException {
        var api = Api.at(url);
        var f = new FlowFixtures(api);
        sql(sourceUrl, "create table r_contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100))",
                "insert into r_contacts values ('r1', 'ann@example.com', 'Ann'), ('r2', 'bob-at-example', 'Bob'),"
                        + " ('r3', 'cy-at-example', 'Cy'), ('r4', 'dee-at-example', 'Dee')");
        sql(destinationUrl, "create table r_customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        long flow = f.flow(FlowFixtures.unique("retention flow"), """
                {"connection":"%s","table":"r_contacts","idColumn":"id"}""".formatted(f.jdbcConnection("CRM", sourceUrl, "sa", "")), """
                {"connection":"%s","table":"r_customers","keyColumn":"source_id"}""".formatted(f.jdbcConnection("ERP", destinationUrl, "sa", "")));
        long deployment = deployManual(api, f.environment(FlowFixtures.unique("retention-env")), flow);
        var start = Instant.now();
        try {
            clock(api, start);
            long execution = FlowFixtures.id(f.execute(deployment), "executionId");
            sql(sourceUrl, "update r_contacts set email = 'bob@example.com' where id = 'r2'");
            long run = FlowFixtures.id(finishedRun(api, resync(api, deployment)), "runId");
            long resolved = itemId(f, deployment, "r2");
            long failed3 = itemId(f, deployment, "r3");
            long failed4 = itemId(f, deployment, "r4");
            assertEquals("SUCCESS", api.get("/api/bucket-items/" + resolved).json().getString("status"));

            // 29 days on: nothing is old enough
            clock(api, start.plus(Duration.ofDays(29)));
            retention(api);
            assertEquals(200, api.get("/api/bucket-items/" + resolved).status());

            // 31 days on: the resolved item and its attempts go; the failed ones, the snapshot and the execution stay
            clock(api, start.plus(Duration.ofDays(31)));
            var pass = retention(api);
            assertTrue(pass.getJsonNumber("bucketItems").longValue() >= 1, pass.toString());
            assertTrue(pass.getJsonNumber("attempts").longValue() >= 2, pass.toString());
            assertEquals(404, api.get("/api/bucket-items/" + resolved).status());
            assertFailedAndKept(api, failed3);
            assertFailedAndKept(api, failed4);
            assertEquals(3, api.get("/api/retry-runs/" + run).json().getJsonArray("items").size());
            assertEquals(200, api.get("/api/executions/" + execution).status());

            // 91 days on: the snapshot's items and the execution go; the run row keeps its counts
            clock(api, start.plus(Duration.ofDays(91)));
            pass = retention(api);
            assertTrue(pass.getJsonNumber("runItems").longValue() >= 3, pass.toString());
            assertTrue(pass.getJsonNumber("executions").longValue() >= 1, pass.toString());
            var snapshot = api.get("/api/retry-runs/" + run).json();
            assertEquals(0, snapshot.getJsonArray("items").size(), snapshot.toString());
            assertEquals(3, snapshot.getInt("picked"), snapshot.toString());
            assertEquals(1, snapshot.getInt("succeeded"), snapshot.toString());
            assertEquals(404, api.get("/api/executions/" + execution).status());
            assertFailedAndKept(api, failed3);
            assertFailedAndKept(api, failed4);
            assertEquals(2, f.bucket(deployment, "").getJsonNumber("total").longValue());

            // admin only
            user(api, "ret-" + System.nanoTime() % 100000, "operator");
            assertEquals(403, api.as(operator, PASSWORD).post("/api/retention", "{}").status());
        } finally {
            clock(api, Instant.now());
        }
    }

    @Test
    void alert_channels_are_validated_signed_quiet_retried_and_shown_in_the_console() throws Exception {
        var api = Api.at(url);
        var name = FlowFixtures.unique("ops");
        // bad input: clear errors, nothing stored
        assertBad(api.post("/api/alert-channels", channel(name, "file:///etc/passwd", null, "\"RUN_FAILED\"", null)), "url");
        assertBad(api.post("/api/alert-channels", "{\"name\":\"" + name + "\",\"type\":\"EMAIL\",\"to\":\"ops@example.com\","
                + "\"events\":[\"RUN_FAILED\"]}"), "type");
        assertBad(api.post("/api/alert-channels", channel(name, receiverUrl("/ok"), null, "\"NOPE\"", null)), "events");
        assertBad(api.post("/api/alert-channels", channel(name, receiverUrl("/ok"), null, "\"BUCKET_DEPTH\"", null)), "bucketDepthThreshold");
        assertFalse(api.get("/api/alert-channels").body().contains(name));

        var created = api.post("/api/alert-channels", channel(name, receiverUrl("/ok"), "s3cret",
                "\"RUN_FAILED\",\"RECORD_EXHAUSTED\",\"BUCKET_DEPTH\"", 2));
        assertEquals(201, created.status(), created.toString());
        assertEquals("***", created.json().getString("secret"));
        long channel = FlowFixtures.id(created.json(), "id");
        assertEquals(409, api.post("/api/alert-channels", channel(name, receiverUrl("/ok"), null, "\"RUN_FAILED\"", null)).status());

        // send test: delivered now, signed with HMAC-SHA256 of the body
        var test = api.post("/api/alert-channels/" + channel + "/test", "{}");
        assertEquals(200, test.status(), test.toString());
        assertEquals("SENT", test.json().getString("status"), test.toString());
        var received = RECEIVED.stream().filter(r -> r.body().contains("\"deliveryId\":" + test.json().getJsonNumber("id"))).findFirst().orElseThrow();
        assertEquals("/ok", received.path());
        assertEquals(hmac("s3cret", received.body()), received.signature());
        assertTrue(received.body().contains("\"text\":\"[Process Flow Retry] TEST"), received.body());

        // a bucket 2 records deep: one BUCKET_DEPTH alert per deployment and quiet period (15 min), however many sweeps
        var start = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 900 * 900 + 60); // early in a quiet period
        try {
            clock(api, start);
            long deployment = deploymentWithFailures("a", 2);
            var depth = awaitReceived(deployment, "BUCKET_DEPTH", 1);
            assertTrue(depth.getFirst().body().contains("2 failed records"), depth.getFirst().body());
            FlowFixtures.sleep(5000); // two more sweeps
            assertEquals(1, received(deployment, "BUCKET_DEPTH").size());

            clock(api, start.plus(Duration.ofMinutes(16)));
            awaitReceived(deployment, "BUCKET_DEPTH", 2);

            // a receiver that is down: the delivery is recorded, retried with back-off, then sent
            DOWN.set(true);
            var down = api.post("/api/alert-channels", channel(FlowFixtures.unique("down"), receiverUrl("/down"), null, "\"RUN_FAILED\"", null));
            long downChannel = FlowFixtures.id(down.json(), "id");
            var failedTry = api.post("/api/alert-channels/" + downChannel + "/test", "{}").json();
            assertEquals("PENDING", failedTry.getString("status"), failedTry.toString());
            assertEquals(1, failedTry.getInt("attempts"));
            assertEquals(503, failedTry.getInt("httpStatus"));
            assertEquals(Instant.parse(failedTry.getString("createdAt")).plusSeconds(30).getEpochSecond(),
                    Instant.parse(failedTry.getString("nextTryAt")).getEpochSecond(), 2, failedTry.toString());
            DOWN.set(false);
            FlowFixtures.sleep(4000);
            assertEquals("PENDING", deliveries(api, downChannel).getFirst().getString("status"), "not before its back-off");
            clock(api, start.plus(Duration.ofMinutes(17)));
            var sent = await("retried delivery", () -> {
                var d = deliveries(api, downChannel).getFirst();
                return d.getString("status").equals("SENT") ? d : null;
            });
            assertEquals(2, sent.getInt("attempts"), sent.toString());

            // the console's Alerts page: channels, last deliveries, "Send test"
            try (var browser = new Browser(api.base())) {
                browser.login("admin", Api.ADMIN_PASSWORD);
                browser.find(org.openqa.selenium.By.id("nav-alerts")).click();
                browser.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/alerts/list.xhtml"));
                assertTrue(browser.text(org.openqa.selenium.By.id("alerts:channels")).contains(name));
                assertTrue(browser.text(org.openqa.selenium.By.id("alerts:deliveries")).contains("BUCKET_DEPTH"));
                int before = RECEIVED.size();
                var row = browser.find(org.openqa.selenium.By.xpath("//tbody[@id='alerts:channels_data']/tr[.//span[text()='" + name + "']]"));
                row.findElement(org.openqa.selenium.By.xpath(".//button[contains(@id,'sendTest')]")).click();
                browser.ajaxDone();
                browser.until(d -> d.findElement(org.openqa.selenium.By.id("messages")).getText().contains("Test alert sent to " + name));
                assertEquals(before + 1, RECEIVED.size());
                browser.screenshot("alerts");
            }
        } finally {
            DOWN.set(false);
            clock(api, Instant.now());
        }
    }

    @Test
    void a_failed_retry_run_alerts_the_channels_that_want_run_failed() throws SQLException {
        var api = Api.at(url);
        var f = new FlowFixtures(api);
        var created = api.post("/api/alert-channels", channel(FlowFixtures.unique("runs"), receiverUrl("/runs"), null, "\"RUN_FAILED\"", null));
        assertEquals(201, created.status(), created.toString());
        sql(sourceUrl, "create table f_contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100))");
        for (int i = 1; i <= 12; i++) {
            sql(sourceUrl, "insert into f_contacts values ('f" + i + "', 'p" + i + "@example.com', 'P" + i + "')");
        }
        var erp = f.httpConnection("ERP", receiverUrl("/dest"), "{}");
        long flow = f.flow(FlowFixtures.unique("failing flow"), """
                {"connection":"%s","table":"f_contacts","idColumn":"id"}""".formatted(f.jdbcConnection("CRM", sourceUrl, "sa", "")), """
                {"connection":"%s","path":"/customers/{id}","method":"PUT"}""".formatted(erp));
        long deployment = deployManual(api, f.environment(FlowFixtures.unique("run-env")), flow, 1);
        try {
            DESTINATION_DOWN.set(true);
            assertEquals(12, f.execute(deployment).getInt("failed"));
        } finally {
            DESTINATION_DOWN.set(false);
        }
        // a slow run, stopped after its first chunk: it ends FAILED
        long run = resync(api, deployment);
        await("a committed chunk", () -> api.get("/api/retry-runs/" + run).json().getInt("succeeded") >= 1 ? true : null);
        var stop = api.post("/api/retry-runs/" + run + "/stop", "{}");
        assertEquals(202, stop.status(), stop.toString());
        assertEquals("FAILED", finishedRun(api, run).getString("status"));
        var alert = await("RUN_FAILED at /runs", () -> received(deployment, "RUN_FAILED").stream()
                .filter(r -> r.path().equals("/runs")).findFirst().orElse(null));
        assertTrue(alert.body().contains("retry run " + run + " of flow"), alert.body());
        assertTrue(alert.body().contains("stopped"), alert.body());
    }

    @Test
    void records_that_use_up_their_automatic_tries_send_one_record_exhausted_alert() throws SQLException {
        var api = Api.at(url);
        var f = new FlowFixtures(api);
        var created = api.post("/api/alert-channels", channel(FlowFixtures.unique("exhausted"), receiverUrl("/exhausted"), null,
                "\"RECORD_EXHAUSTED\"", null));
        assertEquals(201, created.status(), created.toString());
        sql(sourceUrl, "create table x_contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100))",
                "insert into x_contacts values ('x1', 'x1-at-example', 'X1'), ('x2', 'x2-at-example', 'X2')");
        sql(destinationUrl, "create table x_customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        long flow = f.flow(FlowFixtures.unique("exhausting flow"), """
                {"connection":"%s","table":"x_contacts","idColumn":"id"}""".formatted(f.jdbcConnection("CRM", sourceUrl, "sa", "")), """
                {"connection":"%s","table":"x_customers","keyColumn":"source_id"}""".formatted(f.jdbcConnection("ERP", destinationUrl, "sa", "")));
        long deployment = deployManual(api, f.environment(FlowFixtures.unique("x-env")), flow, 10, 0);
        assertEquals(2, f.execute(deployment).getInt("failed"));
        for (int autoTry = 1; autoTry <= 4; autoTry++) {
            var r = api.post("/api/deployments/" + deployment + "/retry-runs", "{}");
            assertEquals(202, r.status(), r.toString());
            var run = finishedRun(api, FlowFixtures.id(r.json(), "runId"));
            assertEquals(2, run.getInt("failed"), run.toString());
            if (autoTry < 4) {
                assertEquals(List.of(), received(deployment, "RECORD_EXHAUSTED"), "not before the 4th automatic try");
            }
        }
        var alert = await("RECORD_EXHAUSTED", () -> received(deployment, "RECORD_EXHAUSTED").stream()
                .filter(r -> r.path().equals("/exhausted")).findFirst().orElse(null));
        assertTrue(alert.body().contains("2 records of flow"), alert.body());
        // a fifth run finds nothing due (and the quiet period holds): still one alert for this channel
        assertEquals(202, api.post("/api/deployments/" + deployment + "/retry-runs", "{}").status());
        FlowFixtures.sleep(3000);
        assertEquals(1, received(deployment, "RECORD_EXHAUSTED").stream().filter(r -> r.path().equals("/exhausted")).count());
    }

    /** What the webhook receiver got: path, body and signature header. */
    record Received(String path, String body, String signature) {
    }

    static final java.util.List<Received> RECEIVED = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final java.util.concurrent.atomic.AtomicBoolean DOWN = new java.util.concurrent.atomic.AtomicBoolean();
    static final java.util.concurrent.atomic.AtomicBoolean DESTINATION_DOWN = new java.util.concurrent.atomic.AtomicBoolean();
    private static com.sun.net.httpserver.HttpServer receiver;

    private static String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static String channel(String name, String url, String secret, String events, Integer threshold) {
        return "{\"name\":\"" + name + "\",\"type\":\"WEBHOOK\",\"url\":\"" + url + "\""
                + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + ",\"events\":[" + events + "]"
                + (threshold == null ? "" : ",\"bucketDepthThreshold\":" + threshold) + "}";
    }

    private static void assertBad(Api.Reply r, String field) {
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(field, r.problemField(), r.toString());
    }

    private static List<Received> received(long deployment, String event) {
        return RECEIVED.stream().filter(r -> r.body().contains("\"event\":\"" + event + "\"")
                && r.body().contains("\"deploymentId\":" + deployment + ",")).toList();
    }

    private static List<Received> awaitReceived(long deployment, String event, int count) {
        return await(count + " " + event + " alerts", () -> received(deployment, event).size() >= count ? received(deployment, event) : null);
    }

    private static List<JsonObject> deliveries(Api api, long channel) {
        var r = api.get("/api/alert-channels/" + channel + "/deliveries");
        assertEquals(200, r.status(), r.toString());
        return r.array().getValuesAs(JsonObject.class);
    }

    static String hmac(String secret, String body) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A deployment whose execution left {@code failures} records in the bucket. */
    private long deploymentWithFailures(String prefix, int failures) throws SQLException {
        var api = Api.at(url);
        var f = new FlowFixtures(api);
        var table = prefix + "_contacts_" + System.nanoTime() % 100000;
        sql(sourceUrl, "create table " + table + " (id varchar(20) primary key, email varchar(100), full_name varchar(100))");
        for (int i = 0; i < failures + 1; i++) {
            sql(sourceUrl, "insert into " + table + " values ('" + prefix + i + "', '" + (i == 0 ? "ok@example.com" : "bad-at-example")
                    + "', 'P" + i + "')");
        }
        var customers = table.replace("contacts", "customers");
        sql(destinationUrl, "create table " + customers + " (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        long flow = f.flow(FlowFixtures.unique("alert flow"), """
                {"connection":"%s","table":"%s","idColumn":"id"}""".formatted(f.jdbcConnection("CRM", sourceUrl, "sa", ""), table), """
                {"connection":"%s","table":"%s","keyColumn":"source_id"}""".formatted(f.jdbcConnection("ERP", destinationUrl, "sa", ""), customers));
        long deployment = deployManual(api, f.environment(FlowFixtures.unique("alert-env")), flow);
        assertEquals(failures, f.execute(deployment).getInt("failed"));
        return deployment;
    }

    private static void assertFailedAndKept(Api api, long itemId) {
        var item = api.get("/api/bucket-items/" + itemId);
        assertEquals(200, item.status(), item.toString());
        assertEquals("FAILED", item.json().getString("status"));
        assertEquals(2, item.json().getJsonArray("attempts").size(), item.toString());
    }

    private static long itemId(FlowFixtures f, long deployment, String sourceId) {
        var items = f.bucket(deployment, "sourceId=" + sourceId).getJsonArray("items");
        assertEquals(1, items.size(), items.toString());
        return FlowFixtures.id(items.getJsonObject(0), "id");
    }

    private static JsonObject retention(Api api) {
        var r = api.post("/api/retention", "{}");
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static void clock(Api api, Instant now) {
        var r = api.put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), r.toString());
    }

    static final String PASSWORD = "metrics-secret-1";
    private String prom;
    private String operator;

    private void user(Api api, String name, String role) {
        var r = api.post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"" + role + "\"]}");
        assertEquals(201, r.status(), r.toString());
        if (role.equals("metrics")) {
            prom = name;
        } else if (role.equals("operator")) {
            operator = name;
        }
    }

    private static long deployManual(Api api, long env, long flow) {
        return deployManual(api, env, flow, 10);
    }

    private static long deployManual(Api api, long env, long flow, int batchSize) {
        return deployManual(api, env, flow, batchSize, 20);
    }

    private static long deployManual(Api api, long env, long flow, int batchSize, int timeLapseMinutes) {
        var r = api.post("/api/environments/" + env + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},
                 "retry":{"mode":"MANUAL","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":%d,"batchSize":%d}}"""
                .formatted(flow, timeLapseMinutes, batchSize));
        assertEquals(201, r.status(), r.toString());
        return FlowFixtures.id(r.json(), "deploymentId");
    }

    private static long resync(Api api, long deployment) {
        var r = api.post("/api/deployments/" + deployment + "/resync", "{\"filter\":{\"status\":\"FAILED\"}}");
        assertEquals(202, r.status(), r.toString());
        return FlowFixtures.id(r.json(), "runId");
    }

    private static JsonObject finishedRun(Api api, long runId) {
        return await("run " + runId, () -> {
            var r = api.get("/api/retry-runs/" + runId);
            return r.status() == 200 && !"STARTED".equals(r.json().getString("status")) ? r.json() : null;
        });
    }

    private static Prometheus awaitMetrics(Api api, java.util.function.Predicate<Prometheus> condition) {
        var last = new Prometheus[1];
        try {
            return await("metrics", () -> {
                var r = api.get("/metrics");
                assertEquals(200, r.status(), r.toString());
                last[0] = Prometheus.parse(r.body());
                return condition.test(last[0]) ? last[0] : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last scrape: " + last[0], e);
        }
    }

    static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var value = probe.get();
            if (value != null) {
                return value;
            }
            FlowFixtures.sleep(250);
        }
        throw new AssertionError(what + ": not within 60 s");
    }

    private static void sql(String url, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            for (var statement : statements) {
                s.execute(statement);
            }
        }
    }
}
