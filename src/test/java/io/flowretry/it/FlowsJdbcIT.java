package io.flowretry.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JDBC → JDBC flows through the real server: the source and destination are real databases —
 * PostgreSQL on 127.0.0.1:5432 in the "postgres" run, else an H2 TCP server this test starts on
 * 127.0.0.1. Executions write the valid records and put the others in the resync bucket; the
 * bucket API filters and pages by cursor.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowsJdbcIT {

    private static final String EMAIL_PATTERN = "^[^@]+@[^@]+$";
    private static H2Apps h2;
    private static String sourceUrl;
    private static String destinationUrl;
    private static String user;
    private static long autoSyncDeployment;
    private static Instant autoSyncDeployedAt;

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void databases() throws SQLException {
        if ("postgres".equals(System.getProperty("flowretry.it.db"))) {
            PostgresTestDatabase.recreate("flows_it_src");
            PostgresTestDatabase.recreate("flows_it_dst");
            sourceUrl = "jdbc:postgresql://127.0.0.1:5432/flows_it_src";
            destinationUrl = "jdbc:postgresql://127.0.0.1:5432/flows_it_dst";
            user = "postgres";
        } else {
            h2 = H2Apps.start();
            sourceUrl = h2.url("flows_src");
            destinationUrl = h2.url("flows_dst");
            user = "sa";
        }
    }

    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.close();
        }
    }

    private Api api() {
        return Api.at(url);
    }

    private FlowFixtures fixtures() {
        return new FlowFixtures(api());
    }

    private static Connection source() throws SQLException {
        return DriverManager.getConnection(sourceUrl, user, "");
    }

    private static Connection destination() throws SQLException {
        return DriverManager.getConnection(destinationUrl, user, "");
    }

    private static void sql(Connection c, String... statements) throws SQLException {
        try (c; var st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** A deployed JDBC → JDBC flow: its deployment, environment, node name (the source connection's name) and flow name. */
    private record Deployed(long deploymentId, long environmentId, String nodeName, String flowName) {
    }

    private Deployed deploy(String table, String customersTable, int batchSize, String sync) {
        var f = fixtures();
        var crm = f.jdbcConnection("CRM", sourceUrl, user, "");
        var erp = f.jdbcConnection("ERP", destinationUrl, user, "");
        var flowName = unique("Contacts to customers");
        long flow = f.flow(flowName, """
                {"connection":"%s","table":"%s","idColumn":"id"}""".formatted(crm, table), """
                {"connection":"%s","table":"%s","keyColumn":"source_id"}""".formatted(erp, customersTable));
        long environment = f.environment(unique("env"));
        return new Deployed(f.deploy(environment, flow, batchSize, sync), environment, crm, flowName);
    }

    private static void contactsAndCustomers(String contacts, String customers) throws SQLException {
        sql(source(), "create table " + contacts + " (id int primary key, email varchar(100), full_name varchar(100))",
                "insert into " + contacts + " values (1, 'ann@example.com', 'Ann')",
                "insert into " + contacts + " values (2, 'bob@example.com', 'Bob')",
                "insert into " + contacts + " values (3, 'x-at-y', 'Cy')",
                "insert into " + contacts + " values (4, 'dee@example.com', 'Dee')",
                "insert into " + contacts + " values (5, 'eve@example.com', null)",
                "insert into " + contacts + " values (6, 'fay@example.com', 'Fay')",
                "insert into " + contacts + " values (7, 'gus@example.com', 'Gus')",
                "insert into " + contacts + " values (8, 'hal@example.com', 'Hal with a name far too long for the ERP')",
                "insert into " + contacts + " values (9, 'ida@example.com', 'Ida')",
                "insert into " + contacts + " values (10, 'jo@example.com', 'Jo')");
        sql(destination(), "create table " + customers
                + " (source_id varchar(20) primary key, email varchar(100) not null, name varchar(20) not null, country varchar(2))");
    }

    private static Map<String, List<String>> customers(String table) throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        try (var c = destination(); var st = c.createStatement();
             var rs = st.executeQuery("select source_id, email, name, country from " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), List.of(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return rows;
    }

    @Test
    @Order(1)
    void an_auto_sync_deployment_is_set_up_first_so_its_timer_fires_while_the_others_run() throws SQLException {
        sql(source(), "create table auto_contacts (id int primary key, email varchar(100), full_name varchar(100))",
                "insert into auto_contacts values (1, 'ann@example.com', 'Ann')");
        sql(destination(), "create table auto_customers (source_id varchar(20) primary key, email varchar(100), name varchar(20), country varchar(2))");
        autoSyncDeployment = deploy("auto_contacts", "auto_customers", 10, "{\"mode\":\"AUTO\",\"everyMinutes\":60}").deploymentId();
        autoSyncDeployedAt = Instant.parse(api().get("/api/deployments/" + autoSyncDeployment).json().getString("deployedAt"));
    }

    @Test
    @Order(2)
    void an_execution_writes_valid_records_and_buckets_each_failure_with_its_class_and_text() throws SQLException {
        contactsAndCustomers("contacts_a", "customers_a");
        var d = deploy("contacts_a", "customers_a", 3, "{\"mode\":\"MANUAL\"}");
        var f = fixtures();

        var execution = f.execute(d.deploymentId());
        assertEquals("COMPLETED", execution.getString("status"));
        assertEquals(10, execution.getInt("read"));
        assertEquals(7, execution.getInt("succeeded"));
        assertEquals(3, execution.getInt("failed"));
        assertTrue(execution.containsKey("startedAt") && execution.containsKey("finishedAt"), execution.toString());

        var written = customers("customers_a");
        assertEquals(new TreeSet<>(List.of("1", "2", "4", "6", "7", "9", "10")), new TreeSet<>(written.keySet()));
        assertEquals(List.of("ann@example.com", "Ann", "DE"), written.get("1"));

        var bucket = f.bucket(d.deploymentId(), "");
        assertEquals(d.flowName(), bucket.getJsonObject("processFlow").getString("name"));
        assertEquals("CRM contacts into ERP customers", bucket.getJsonObject("processFlow").getString("description"));
        assertTrue(bucket.getJsonObject("environment").getString("name").startsWith("env-"));
        assertEquals(3, bucket.getInt("total"));
        var items = bucket.getJsonArray("items");
        assertEquals(List.of("3", "5", "8"), items.stream().map(v -> v.asJsonObject().getString("sourceId")).toList());
        var texts = new ArrayList<String>();
        for (var v : items) {
            var item = v.asJsonObject();
            assertEquals(d.nodeName(), item.getString("nodeName"));
            assertEquals("FAILED", item.getString("status"));
            assertEquals("DATA", item.getString("errorClass"));
            assertEquals(0, item.getInt("tries"));
            assertEquals(0, item.getInt("autoTries"));
            assertFalse(item.getBoolean("autoRetriesExhausted"));
            var at = Instant.parse(item.getString("timestamp"));
            assertEquals(at.plus(Duration.ofMinutes(20)), Instant.parse(item.getString("dueAt")), "dueAt = last attempt + time lapse");
            texts.add(item.getString("lastError"));
        }
        assertEquals("email: \"x-at-y\" does not match pattern " + EMAIL_PATTERN, texts.get(0));
        assertEquals("name: required value is missing", texts.get(1));
        assertTrue(texts.get(2).contains("customers_a") && texts.get(2).contains("SQLState 22001"), texts.get(2));
        assertTrue(bucket.isNull("nextCursor"), "one page only");

        long item3 = id(items.getJsonObject(0), "id");
        var detail = api().get("/api/bucket-items/" + item3);
        assertEquals(200, detail.status(), detail.toString());
        var attempts = detail.json().getJsonArray("attempts");
        assertEquals(1, attempts.size());
        var attempt = attempts.getJsonObject(0);
        assertEquals("MAIN", attempt.getString("trigger"));
        assertEquals("FAILED", attempt.getString("outcome"));
        assertEquals(texts.get(0), attempt.getString("error"));
        assertTrue(attempt.isNull("runId"));
        assertEquals(items.getJsonObject(0).getString("timestamp"), attempt.getString("at"));

        // a second run adds no duplicates, keeps one item per id and counts no tries
        var second = f.execute(d.deploymentId());
        assertEquals(7, second.getInt("succeeded"));
        assertEquals(written, customers("customers_a"));
        var again = f.bucket(d.deploymentId(), "");
        assertEquals(3, again.getInt("total"));
        assertEquals(0, again.getJsonArray("items").getJsonObject(0).getInt("tries"));
        assertEquals(2, api().get("/api/bucket-items/" + item3).json().getJsonArray("attempts").size());

        // fixed at the source, the next run marks the item SUCCESS
        sql(source(), "update contacts_a set email = 'cy@example.com' where id = 3");
        var third = f.execute(d.deploymentId());
        assertEquals(8, third.getInt("succeeded"));
        assertEquals(List.of("cy@example.com", "Cy", "DE"), customers("customers_a").get("3"));
        var fixed = api().get("/api/bucket-items/" + item3).json();
        assertEquals("SUCCESS", fixed.getString("status"));
        assertEquals("RESOLVED", fixed.getString("queueState"));
        assertTrue(fixed.isNull("lastError"));
        assertEquals(List.of("FAILED", "FAILED", "SUCCESS"),
                fixed.getJsonArray("attempts").stream().map(v -> v.asJsonObject().getString("outcome")).toList());
        assertEquals(2, f.bucket(d.deploymentId(), "status=FAILED").getInt("total"));
        var succeeded = f.bucket(d.deploymentId(), "status=SUCCESS");
        assertEquals(1, succeeded.getInt("total"));
        assertEquals("3", succeeded.getJsonArray("items").getJsonObject(0).getString("sourceId"));

        // the environment's deployed flows show the counts
        var flows = api().get("/api/environments/" + d.environmentId() + "/process-flows");
        assertEquals(200, flows.status(), flows.toString());
        var counts = flows.array().getJsonObject(0).getJsonObject("bucket");
        assertEquals(2, counts.getInt("failed"));
        assertEquals(1, counts.getInt("succeeded"));

        var runs = api().get("/api/deployments/" + d.deploymentId() + "/executions");
        assertEquals(3, runs.array().size());
    }

    @Test
    @Order(3)
    void filter_and_cursor_paging_over_more_than_a_thousand_items_miss_and_repeat_nothing() throws SQLException {
        try (var c = source()) {
            try (var st = c.createStatement()) {
                st.execute("create table leads (id varchar(20) primary key, email varchar(100), full_name varchar(100))");
            }
            try (var ps = c.prepareStatement("insert into leads values (?, null, ?)")) {
                for (int i = 1; i <= 1100; i++) {
                    ps.setString(1, "A-%04d".formatted(i));
                    ps.setString(2, "Lead " + i);
                    ps.addBatch();
                }
                for (int i = 1; i <= 134; i++) {
                    ps.setString(1, "B-%04d".formatted(i));
                    ps.setString(2, "Lead B" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        sql(destination(), "create table lead_customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        var d = deploy("leads", "lead_customers", 200, "{\"mode\":\"MANUAL\"}");
        var f = fixtures();
        var execution = f.execute(d.deploymentId());
        assertEquals(1234, execution.getInt("failed"));

        var all = f.allItems(d.deploymentId(), "", 77);
        var ids = all.stream().map(i -> i.getString("sourceId")).toList();
        assertEquals(1234, ids.size());
        assertEquals(1234, new HashSet<>(ids).size(), "no item repeated");
        assertEquals(new ArrayList<>(new TreeSet<>(ids)), ids, "in source id order");
        assertEquals("A-0001", ids.get(0));
        assertEquals("B-0134", ids.get(1233));
        assertTrue(all.stream().allMatch(i -> i.getString("lastError").equals("email: required value is missing")));
        assertEquals(1234, f.bucket(d.deploymentId(), "limit=5").getInt("total"));

        var a1 = f.allItems(d.deploymentId(), "sourceId=A-1", 30);
        assertEquals(101, a1.size(), "A-1000 .. A-1100");
        assertTrue(a1.stream().allMatch(i -> i.getString("sourceId").startsWith("A-1")));
        assertEquals(101, f.bucket(d.deploymentId(), "sourceId=A-1&limit=30").getInt("total"));
        assertEquals(134, f.allItems(d.deploymentId(), "sourceId=B&status=FAILED", 500).size());
        // a prefix with an equality filter, page after page (on PostgreSQL one range of row values from the cursor)
        var failedA1 = f.allItems(d.deploymentId(), "sourceId=A-1&status=FAILED", 30).stream().map(i -> i.getString("sourceId")).toList();
        assertEquals(a1.stream().map(i -> i.getString("sourceId")).toList(), failedA1, "every A-1 item, once, in order");
        assertEquals(101, f.bucket(d.deploymentId(), "sourceId=A-1&queueState=QUEUED&limit=30").getInt("total"));
        assertEquals(0, f.bucket(d.deploymentId(), "sourceId=A_").getInt("total"), "_ is not a wildcard");
        assertEquals(0, f.bucket(d.deploymentId(), "sourceId=A%25").getInt("total"), "% is not a wildcard");
        assertEquals(0, f.bucket(d.deploymentId(), "status=SUCCESS").getInt("total"));
        assertEquals(50, f.bucket(d.deploymentId(), "").getJsonArray("items").size(), "limit defaults to 50");

        assertEquals("limit", api().get("/api/deployments/" + d.deploymentId() + "/bucket?limit=0").problemField());
        assertEquals("limit", api().get("/api/deployments/" + d.deploymentId() + "/bucket?limit=501").problemField());
        assertEquals("limit", api().get("/api/deployments/" + d.deploymentId() + "/bucket?limit=ten").problemField());
        var badStatus = api().get("/api/deployments/" + d.deploymentId() + "/bucket?status=BROKEN");
        assertEquals(400, badStatus.status());
        assertEquals("status", badStatus.problemField());
        assertTrue(f.bucket(d.deploymentId(), "").getBoolean("totalExact"), "1,234 is below the count limit");

        // the sorted orders page through every item once (keyset over ties: all have 0 tries, a chunk shares its time stamp)
        for (var sort : List.of("TRIES&status=FAILED", "TIMESTAMP&status=FAILED", "STATUS")) {
            var sorted = f.allItems(d.deploymentId(), "sort=" + sort, 77);
            assertEquals(1234, sorted.size(), sort);
            assertEquals(1234, sorted.stream().map(i -> i.getString("sourceId")).distinct().count(), sort + ": no item repeated");
        }
        var byTime = f.allItems(d.deploymentId(), "sort=TIMESTAMP&status=FAILED", 100);
        for (int i = 1; i < byTime.size(); i++) {
            var before = byTime.get(i - 1);
            var item = byTime.get(i);
            int newer = java.time.Instant.parse(before.getString("timestamp")).compareTo(java.time.Instant.parse(item.getString("timestamp")));
            assertTrue(newer > 0 || newer == 0 && before.getString("sourceId").compareTo(item.getString("sourceId")) < 0,
                    "newest first, then by source id: " + before + " before " + item);
        }
        assertEquals(1234, f.bucket(d.deploymentId(), "queueState=QUEUED").getInt("total"));
        assertEquals(1234, f.bucket(d.deploymentId(), "errorClass=DATA&status=FAILED").getInt("total"));
        assertEquals(0, f.bucket(d.deploymentId(), "errorClass=TRANSIENT").getInt("total"));
        assertEquals(0, f.bucket(d.deploymentId(), "queueState=EXHAUSTED").getInt("total"));
        assertEquals("sort", api().get("/api/deployments/" + d.deploymentId() + "/bucket?sort=TRIES&sourceId=A").problemField(),
                "no index serves a sorted order within a prefix");
        assertEquals("sort", api().get("/api/deployments/" + d.deploymentId() + "/bucket?sort=SIZE").problemField());
        assertEquals("sort", api().get("/api/deployments/" + d.deploymentId() + "/bucket?sort=TRIES").problemField(),
                "the Tries and Time Stamp orders are kept within one status (V92)");
        assertEquals("queueState", api().get("/api/deployments/" + d.deploymentId() + "/bucket?queueState=LOST").problemField());
        var sourceIdCursor = f.bucket(d.deploymentId(), "limit=5").getString("nextCursor");
        assertEquals("cursor", api().get("/api/deployments/" + d.deploymentId() + "/bucket?sort=TRIES&status=FAILED&cursor=" + sourceIdCursor).problemField());
        assertEquals("cursor", api().get("/api/deployments/" + d.deploymentId() + "/bucket?cursor=nonsense").problemField());
        assertEquals(404, api().get("/api/deployments/987654321/bucket").status());
        assertEquals(404, api().get("/api/bucket-items/987654321").status());
    }

    @Test
    @Order(4)
    void no_run_in_an_inactive_environment_nor_for_an_undeployed_flow_and_viewers_only_read() throws SQLException {
        contactsAndCustomers("contacts_b", "customers_b");
        var d = deploy("contacts_b", "customers_b", 100, "{\"mode\":\"MANUAL\"}");
        assertEquals(200, api().patch("/api/environments/" + d.environmentId(), "{\"active\":false}").status());
        var inactive = api().post("/api/deployments/" + d.deploymentId() + "/executions", null);
        assertEquals(409, inactive.status(), inactive.toString());
        assertTrue(inactive.contentType().startsWith("application/problem+json"));
        assertEquals(0, api().get("/api/deployments/" + d.deploymentId() + "/executions").array().size(), "no run");
        assertTrue(customers("customers_b").isEmpty());

        assertEquals(200, api().patch("/api/environments/" + d.environmentId(), "{\"active\":true}").status());
        var viewer = unique("viewer");
        assertEquals(201, api().post("/api/users", """
                {"username":"%s","password":"viewer-secret","roles":["viewer"]}""".formatted(viewer)).status());
        var asViewer = api().as(viewer, "viewer-secret");
        assertEquals(403, asViewer.post("/api/deployments/" + d.deploymentId() + "/executions", null).status());
        assertEquals(200, asViewer.get("/api/deployments/" + d.deploymentId() + "/bucket").status());
        var operator = unique("operator");
        assertEquals(201, api().post("/api/users", """
                {"username":"%s","password":"operator-secret","roles":["operator"]}""".formatted(operator)).status());
        var run = api().as(operator, "operator-secret").post("/api/deployments/" + d.deploymentId() + "/executions", null);
        assertEquals(202, run.status(), run.toString());
        assertEquals("COMPLETED", fixtures().awaitEnd(id(run.json(), "executionId")).getString("status"));
        assertEquals(200, asViewer.get("/api/executions/" + id(run.json(), "executionId")).status());

        assertEquals(200, api().delete("/api/deployments/" + d.deploymentId()).status());
        var undeployed = api().post("/api/deployments/" + d.deploymentId() + "/executions", null);
        assertEquals(409, undeployed.status(), undeployed.toString());
        assertEquals(3, fixtures().bucket(d.deploymentId(), "").getInt("total"), "the bucket stays readable after undeploy");
        assertEquals(404, api().post("/api/deployments/987654321/executions", null).status());
        assertEquals(404, api().get("/api/executions/987654321").status());
    }

    @Test
    @Order(5)
    void the_auto_sync_timer_follows_the_application_clock() throws SQLException {
        // every 60 minutes from the deployment: the timer waits (tick - clock now), so moving the
        // clock to 3 s before the first tick makes it fire within seconds of real time
        var r = api().put("/api/test/clock", "{\"now\":\"" + autoSyncDeployedAt.plus(java.time.Duration.ofMinutes(60)).minusSeconds(3) + "\"}");
        assertEquals(200, r.status(), r.toString());
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject run = null;
        while (System.currentTimeMillis() < deadline && run == null) {
            var runs = api().get("/api/deployments/" + autoSyncDeployment + "/executions").array();
            run = runs.stream().map(v -> v.asJsonObject())
                    .filter(e -> "AUTO".equals(e.getString("trigger")) && "COMPLETED".equals(e.getString("status")))
                    .findFirst().orElse(null);
            if (run == null) {
                FlowFixtures.sleep(500);
            }
        }
        assertTrue(run != null, "an AUTO execution completed within 30 s of moving the clock to 3 s before its tick");
        assertEquals(1, run.getInt("succeeded"));
        assertEquals(1, customers("auto_customers").size());
        assertEquals(200, api().delete("/api/deployments/" + autoSyncDeployment).status());
    }
}
