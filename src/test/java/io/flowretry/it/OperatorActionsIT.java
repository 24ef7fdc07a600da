package io.flowretry.it;

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

import java.net.URL;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An operator's actions on records over the API (issue 14): discard (by ids and by filter, with a
 * reason, never claimed by an automatic run, back with a manual RESYNC) and edit before resync (an
 * override put over the record re-read from the source, shown in the attempt and the snapshot,
 * dropped by the successful resync), and how both refuse bad input. Source and destination are
 * tables of an H2 TCP server this test runs on 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class OperatorActionsIT {

    static H2Apps h2;
    static String h2Url;

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void apps() throws SQLException {
        h2 = H2Apps.start();
        h2Url = h2.url("operator_apps");
    }

    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.close();
        }
    }

    Api api() {
        return Api.at(url);
    }

    FlowFixtures fixtures() {
        return new FlowFixtures(api());
    }

    static void sql(String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(h2Url, "sa", ""); var st = c.createStatement()) {
            for (var s : statements) {
                st.execute(s);
            }
        }
    }

    static String scalar(String query) throws SQLException {
        try (var c = DriverManager.getConnection(h2Url, "sa", ""); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * A deployment (manual retry, lapse 0) whose main execution has run over {@code n} contacts
     * c001..c00n with invalid e-mails (all fail); returns the deployment id and its tables' prefix.
     */
    record Deployed(long id, String table) {
    }

    Deployed deployedWithFailures(String name, int n) throws SQLException {
        var table = FlowFixtures.unique(name).replaceAll("[^a-z0-9]", "_");
        sql("create table " + table + "_src (id varchar(200) primary key, email varchar(200), full_name varchar(200))",
                "create table " + table + "_dst (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(2))");
        for (int i = 1; i <= n; i++) {
            sql("insert into " + table + "_src values ('c%03d', 'bad-%d', 'Person %d')".formatted(i, i, i));
        }
        var env = api().post("/api/environments", "{\"name\":\"" + FlowFixtures.unique(name) + "\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, env.status(), env.toString());
        var f = fixtures();
        long flow = f.flow(FlowFixtures.unique(name), """
                {"connection":"%s","table":"%s_src","idColumn":"id"}""".formatted(f.jdbcConnection("CRM", h2Url, "sa", ""), table), """
                {"connection":"%s","table":"%s_dst","keyColumn":"source_id"}""".formatted(f.jdbcConnection("ERP", h2Url, "sa", ""), table));
        var r = api().post("/api/environments/" + FlowFixtures.id(env.json(), "id") + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},
                 "retry":{"mode":"MANUAL","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":2}}""".formatted(flow));
        assertEquals(201, r.status(), r.toString());
        long deployment = FlowFixtures.id(r.json(), "deploymentId");
        assertEquals(n, f.execute(deployment).getInt("failed"));
        return new Deployed(deployment, table);
    }

    List<JsonObject> items(long deployment, String query) {
        return fixtures().allItems(deployment, query, 500);
    }

    JsonObject item(long deployment, String sourceId) {
        return items(deployment, "").stream().filter(i -> i.getString("sourceId").equals(sourceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no bucket item " + sourceId));
    }

    JsonObject detail(long itemId) {
        var r = api().get("/api/bucket-items/" + itemId);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    JsonObject lastAttempt(long itemId) {
        var attempts = detail(itemId).getJsonArray("attempts");
        return attempts.getJsonObject(attempts.size() - 1);
    }

    JsonObject finished(long runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            var s = api().get("/api/retry-runs/" + runId).json();
            if (!"STARTED".equals(s.getString("status"))) {
                return s;
            }
            FlowFixtures.sleep(250);
        }
        return fail("run " + runId + " did not end within 120 s");
    }

    JsonObject resync(long deployment, String body) {
        var r = api().post("/api/deployments/" + deployment + "/resync", body);
        assertEquals(202, r.status(), r.toString());
        return finished(FlowFixtures.id(r.json(), "runId"));
    }

    /** No override: null, or left out as JSON-B leaves out a null record component. */
    static boolean noOverride(JsonObject item) {
        return !item.containsKey("override") || item.isNull("override");
    }

    static void assertBad(Api.Reply r, String field) {
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
        assertEquals(field, r.problemField(), r.toString());
    }

    String viewer() {
        var name = FlowFixtures.unique("viewer");
        assertEquals(201, api().post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"viewer-pw-1\",\"roles\":[\"viewer\"]}").status());
        return name;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void discarded_records_leave_the_queue_no_automatic_run_picks_them_and_a_resync_by_id_brings_one_back() throws SQLException {
        var d = deployedWithFailures("discard", 5);
        long c1 = FlowFixtures.id(item(d.id(), "c001"), "id");
        long c2 = FlowFixtures.id(item(d.id(), "c002"), "id");
        var path = "/api/deployments/" + d.id() + "/discard";

        var byIds = api().post(path, "{\"itemIds\":[" + c1 + ",\"" + c2 + "\"],\"reason\":\"test records, never real\"}");
        assertEquals(200, byIds.status(), byIds.toString());
        assertEquals(2, byIds.json().getInt("discarded"));
        var discarded = detail(c1);
        assertEquals("DISCARDED", discarded.getString("status"));
        assertEquals("DISCARDED", discarded.getString("queueState"));
        assertEquals(0, discarded.getInt("tries"), "a discard is no try");
        assertTrue(discarded.getString("lastError").contains("email"), "why it failed stays visible: " + discarded);
        var attempt = lastAttempt(c1);
        assertEquals("DISCARD", attempt.getString("trigger"));
        assertEquals("DISCARDED", attempt.getString("outcome"));
        assertEquals("admin", attempt.getString("user"));
        assertEquals("test records, never real", attempt.getString("reason"));
        assertEquals(0, api().post(path, "{\"itemIds\":[" + c1 + "],\"reason\":\"again\"}").json().getInt("discarded"),
                "a discarded record is not discarded twice");

        assertEquals(List.of("c001", "c002"), items(d.id(), "status=DISCARDED").stream().map(i -> i.getString("sourceId")).toList());
        assertEquals(2, items(d.id(), "queueState=DISCARDED").size());
        assertEquals(3, items(d.id(), "status=FAILED").size());

        // the automatic retry (run now: the due records, lapse 0) picks the 3 failed ones only
        var auto = api().post("/api/deployments/" + d.id() + "/retry-runs", null);
        assertEquals(202, auto.status(), auto.toString());
        var run = finished(FlowFixtures.id(auto.json(), "runId"));
        assertEquals(3, run.getInt("picked"), run.toString());
        assertTrue(run.getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .noneMatch(i -> List.of("c001", "c002").contains(i.getString("sourceId"))), run.toString());
        // nor a RESYNC of the failed filter
        assertEquals(3, resync(d.id(), "{\"filter\":{}}").getInt("picked"));
        // the main execution fails them again: they stay discarded
        fixtures().execute(d.id());
        assertEquals("DISCARDED", detail(c2).getString("status"));

        // by filter: the failed ones starting with c00, with their count
        var byFilter = api().post(path, "{\"filter\":{\"sourceId\":\"c00\",\"errorClass\":\"DATA\"},\"reason\":\"the CRM deletes them\"}");
        assertEquals(200, byFilter.status(), byFilter.toString());
        assertEquals(3, byFilter.json().getInt("discarded"));
        assertEquals(0, items(d.id(), "status=FAILED").size());
        var idle = api().post("/api/deployments/" + d.id() + "/retry-runs", null);
        assertEquals(202, idle.status(), idle.toString());
        assertEquals(0, finished(FlowFixtures.id(idle.json(), "runId")).getInt("picked"), "an automatic run finds nothing to do");

        // undo: a RESYNC by id (the record is fixed at the source meanwhile)
        sql("update " + d.table() + "_src set email = 'anna@example.com' where id = 'c001'");
        var back = resync(d.id(), "{\"itemIds\":[" + c1 + "]}");
        assertEquals(1, back.getInt("succeeded"), back.toString());
        assertEquals("SUCCESS", detail(c1).getString("status"));
        assertEquals("anna@example.com", scalar("select email from " + d.table() + "_dst where source_id = 'c001'"));
        // or a RESYNC of the discarded ones
        var rest = resync(d.id(), "{\"filter\":{\"status\":\"DISCARDED\"}}");
        assertEquals(4, rest.getInt("picked"), rest.toString());
        assertEquals(4, items(d.id(), "status=FAILED").size(), "back in the queue, still failing");
    }

    @Test
    void discard_requests_are_validated_change_nothing_and_need_an_operator() throws SQLException {
        var d = deployedWithFailures("baddiscard", 1);
        long c1 = FlowFixtures.id(item(d.id(), "c001"), "id");
        var path = "/api/deployments/" + d.id() + "/discard";
        assertBad(api().post(path, "{\"itemIds\":[" + c1 + "]}"), "reason");
        assertBad(api().post(path, "{\"itemIds\":[" + c1 + "],\"reason\":\"   \"}"), "reason");
        assertBad(api().post(path, "{\"itemIds\":[" + c1 + "],\"reason\":\"" + "x".repeat(1001) + "\"}"), "reason");
        assertBad(api().post(path, "{\"reason\":\"r\"}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[],\"reason\":\"r\"}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[\"abc\"],\"reason\":\"r\"}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[999999999],\"reason\":\"r\"}"), "itemIds");
        assertBad(api().post(path, "{\"itemIds\":[" + c1 + "],\"filter\":{},\"reason\":\"r\"}"), "filter");
        assertBad(api().post(path, "{\"filter\":{\"status\":\"SUCCESS\"},\"reason\":\"r\"}"), "filter.status");
        assertBad(api().post(path, "{\"filter\":{\"queueState\":\"RESOLVED\"},\"reason\":\"r\"}"), "filter.queueState");
        assertBad(api().post(path, "{\"filter\":{\"errorClass\":\"NOPE\"},\"reason\":\"r\"}"), "filter.errorClass");
        assertBad(api().post(path, "{\"filter\":{\"queueState\":\"QUEUED\",\"errorClass\":\"DATA\"},\"reason\":\"r\"}"), "filter.errorClass");
        assertEquals(404, api().post("/api/deployments/999999999/discard", "{\"filter\":{},\"reason\":\"r\"}").status());
        var asViewer = api().as(viewer(), "viewer-pw-1");
        assertEquals(403, asViewer.post(path, "{\"filter\":{},\"reason\":\"r\"}").status());
        assertEquals("FAILED", detail(c1).getString("status"), "nothing changed");
        assertEquals(1, detail(c1).getJsonArray("attempts").size(), "no attempt added");
    }

    @Test
    void an_override_is_put_over_the_record_read_again_shown_in_attempt_and_snapshot_and_dropped_by_the_success() throws SQLException {
        var d = deployedWithFailures("override", 2);
        long c1 = FlowFixtures.id(item(d.id(), "c001"), "id");
        long c2 = FlowFixtures.id(item(d.id(), "c002"), "id");
        var put = api().put("/api/bucket-items/" + c1 + "/override",
                "{\"fields\":{\"EMAIL\":\"fixed@example.com\"},\"reason\":\"typo confirmed by phone\"}");
        assertEquals(200, put.status(), put.toString());
        assertEquals("fixed@example.com", put.json().getJsonObject("fields").getString("EMAIL"));
        var shown = detail(c1).getJsonObject("override");
        assertEquals("typo confirmed by phone", shown.getString("reason"));
        assertEquals("admin", shown.getString("user"));
        // an override that does not fix the record: c002 keeps failing and keeps its override
        assertEquals(200, api().put("/api/bucket-items/" + c2 + "/override",
                "{\"fields\":{\"full_name\":\"Bert B.\"},\"reason\":\"name spelled\"}").status());

        sql("update " + d.table() + "_src set full_name = 'Anna Read Again' where id = 'c001'");
        var run = resync(d.id(), "{\"itemIds\":[" + c1 + "," + c2 + "]}");
        assertEquals(1, run.getInt("succeeded"), run.toString());
        assertEquals("fixed@example.com", scalar("select email from " + d.table() + "_dst where source_id = 'c001'"),
                "the override wins over the source's value");
        assertEquals("Anna Read Again", scalar("select name from " + d.table() + "_dst where source_id = 'c001'"),
                "the other fields are read again from the source");
        var snapshotItem = run.getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .filter(i -> i.getString("sourceId").equals("c001")).findFirst().orElseThrow();
        assertEquals("bad-1", snapshotItem.getJsonObject("input").getString("EMAIL", snapshotItem.getJsonObject("input").getString("email", null)),
                "the snapshot shows the source's value: " + snapshotItem);
        assertEquals("fixed@example.com", snapshotItem.getJsonObject("override").getString("EMAIL"), snapshotItem.toString());
        var attempt = lastAttempt(c1);
        assertEquals("MANUAL", attempt.getString("trigger"));
        assertEquals("admin", attempt.getString("user"));
        assertEquals("override: typo confirmed by phone", attempt.getString("reason"));
        assertTrue(noOverride(detail(c1)), "the success dropped it");

        assertEquals("Bert B.", detail(c2).getJsonObject("override").getJsonObject("fields").getString("full_name"), "kept after a failure");
        assertEquals("FAILED", detail(c2).getString("status"));
        assertEquals(204, api().delete("/api/bucket-items/" + c2 + "/override").status());
        assertTrue(noOverride(detail(c2)));
        assertEquals(404, api().delete("/api/bucket-items/" + c2 + "/override").status());
    }

    @Test
    void override_requests_are_validated_name_the_field_and_need_an_operator() throws SQLException {
        var d = deployedWithFailures("badoverride", 2);
        long c1 = FlowFixtures.id(item(d.id(), "c001"), "id");
        var path = "/api/bucket-items/" + c1 + "/override";
        assertBad(api().put(path, "{\"reason\":\"r\"}"), "fields");
        assertBad(api().put(path, "{\"fields\":[1],\"reason\":\"r\"}"), "fields");
        assertBad(api().put(path, "{\"fields\":{},\"reason\":\"r\"}"), "fields");
        assertBad(api().put(path, "{\"fields\":{\"email\":{\"nested\":1}},\"reason\":\"r\"}"), "fields.email");
        assertBad(api().put(path, "{\"fields\":{\"email\":\"a@b.de\"}}"), "reason");
        assertEquals(404, api().put("/api/bucket-items/999999999/override", "{\"fields\":{\"email\":\"a@b.de\"},\"reason\":\"r\"}").status());
        assertEquals(404, api().delete("/api/bucket-items/999999999/override").status());
        assertEquals(404, api().delete(path).status(), "no override to drop");
        var asViewer = api().as(viewer(), "viewer-pw-1");
        assertEquals(403, asViewer.put(path, "{\"fields\":{\"email\":\"a@b.de\"},\"reason\":\"r\"}").status());
        assertTrue(noOverride(detail(c1)), "nothing stored");

        sql("update " + d.table() + "_src set email = 'c2@example.com' where id = 'c002'");
        long c2 = FlowFixtures.id(item(d.id(), "c002"), "id");
        assertEquals(1, resync(d.id(), "{\"itemIds\":[" + c2 + "]}").getInt("succeeded"));
        var conflict = api().put("/api/bucket-items/" + c2 + "/override", "{\"fields\":{\"email\":\"a@b.de\"},\"reason\":\"r\"}");
        assertEquals(409, conflict.status(), "a succeeded record has nothing left to resync: " + conflict);
    }

    /**
     * Delete (issue 14), on both databases: a flow a deployment uses and a connection a flow uses are
     * refused with a 409 naming the user and stay; a flow nothing deploys goes with all its versions,
     * then the connection only it used.
     */
    @Test
    void what_is_in_use_is_kept_with_a_409_and_what_nothing_uses_is_deleted() throws SQLException {
        var d = deployedWithFailures("delete", 1);
        long flowId = FlowFixtures.id(api().get("/api/deployments/" + d.id()).json(), "flowId");
        var refused = api().delete("/api/process-flows/" + flowId);
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.json().getString("detail").contains("deployment " + d.id()), refused.toString());
        assertEquals(200, api().get("/api/process-flows/" + flowId).status());

        var f = fixtures();
        var app = f.jdbcConnection("SPARE", h2Url, "sa", "");
        long appId = api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(app)).map(c -> FlowFixtures.id(c, "id")).findFirst().orElseThrow();
        var name = FlowFixtures.unique("spare");
        var body = """
                {"name":"%s","source":{"connection":"%s","table":"%s_src","idColumn":"id"},
                 "mapping":[{"target":"email","source":"email"}],
                 "destination":{"connection":"%s","table":"%s_dst","keyColumn":"source_id"}}""".formatted(name, app, d.table(), app, d.table());
        var created = api().post("/api/process-flows", body);
        assertEquals(201, created.status(), created.toString());
        long spareFlow = FlowFixtures.id(created.json(), "id");
        assertEquals(200, api().put("/api/process-flows/" + spareFlow, body).status(), "version 2");

        var inUse = api().delete("/api/connections/" + appId);
        assertEquals(409, inUse.status(), inUse.toString());
        assertTrue(inUse.json().getString("detail").contains(name), inUse.toString());
        assertEquals(204, api().delete("/api/process-flows/" + spareFlow).status());
        assertEquals(404, api().get("/api/process-flows/" + spareFlow).status());
        assertEquals(404, api().get("/api/process-flows/" + spareFlow + "/versions/1").status());
        assertEquals(204, api().delete("/api/connections/" + appId).status());
        assertEquals(404, api().get("/api/connections/" + appId).status());
        assertEquals(404, api().delete("/api/connections/" + appId).status());
    }
}
