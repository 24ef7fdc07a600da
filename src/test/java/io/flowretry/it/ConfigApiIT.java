package io.flowretry.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.sql.DriverManager;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The configuration API over HTTP (contract sections Environments, Connections, Process flows,
 * Deployments): happy paths, rejected inputs (status, field, nothing stored), roles, and the
 * server's health and OpenAPI endpoints. Every test makes its own uniquely named data.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class ConfigApiIT {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private Api api() {
        return Api.at(url);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + SEQ.incrementAndGet();
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private long environment(String name) {
        var r = api().post("/api/environments", "{\"name\":\"" + name + "\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    private String jdbcConnection() {
        var name = unique("CRM");
        var r = api().post("/api/connections", """
                {"name":"%s","type":"JDBC","jdbcUrl":"jdbc:h2:tcp://127.0.0.1/crm","username":"sa","password":"s3cret"}"""
                .formatted(name));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    private String httpConnection() {
        var name = unique("ERP");
        var r = api().post("/api/connections", """
                {"name":"%s","type":"HTTP","baseUrl":"http://127.0.0.1:9/erp","headers":{"Authorization":"Bearer xyz","X-Tenant":"t1"}}"""
                .formatted(name));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    private static String flowJson(String name, String source, String destination) {
        return """
                {"name":"%s","description":"CRM contacts into ERP customers",
                 "source":{"connection":"%s","table":"contacts","idColumn":"id"},
                 "mapping":[{"target":"email","source":"email","required":true,"pattern":"^[^@]+@[^@]+$"},
                            {"target":"name","source":"full_name","required":true},
                            {"target":"country","value":"DE"}],
                 "destination":{"connection":"%s","path":"/customers/{id}"}}""".formatted(name, source, destination);
    }

    private long flow() {
        var r = api().post("/api/process-flows", flowJson(unique("flow"), jdbcConnection(), httpConnection()));
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    private static long id(JsonObject o, String field) {
        var v = o.get(field);
        return v instanceof jakarta.json.JsonNumber n ? n.longValue() : Long.parseLong(o.getString(field));
    }

    private int count(String path) {
        var r = api().get(path);
        assertEquals(200, r.status(), r.toString());
        return r.array().size();
    }

    private static final String MALFORMED = "detail:Malformed";
    private static final String MISSING = "detail:does not exist";

    /**
     * Asserts a rejected request: the status, the first error's field (or, written {@code detail:text},
     * a text the detail contains) and that the number of stored things did not change.
     */
    private static void rejected(Api.Reply r, int status, String field, IntSupplier stored, int storedBefore) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        if (field.startsWith("detail:")) {
            assertTrue(r.json().getString("detail").contains(field.substring(7)), r.toString());
        } else {
            assertEquals(field, r.problemField(), r.toString());
        }
        assertEquals(storedBefore, stored.getAsInt(), "nothing may be stored by " + r);
    }

    // ---- happy paths ----------------------------------------------------------------------------

    @Test
    void environments_are_created_listed_read_and_patched() {
        var name = unique("env");
        var created = api().post("/api/environments", "{\"name\":\"" + name + "\",\"description\":\"QA\",\"timeZone\":\"Asia/Tokyo\"}");
        assertEquals(201, created.status(), created.toString());
        long id = id(created.json(), "id");
        assertTrue(created.location().endsWith("/api/environments/" + id), created.location());
        assertTrue(created.json().getBoolean("active"));
        assertNotNull(created.json().getString("createdAt"));

        assertTrue(api().get("/api/environments").array().stream()
                .anyMatch(e -> e.asJsonObject().getString("name").equals(name)));
        var patched = api().patch("/api/environments/" + id, "{\"active\":false,\"timeZone\":\"America/New_York\"}");
        assertEquals(200, patched.status(), patched.toString());
        var read = api().get("/api/environments/" + id).json();
        assertFalse(read.getBoolean("active"));
        assertEquals("America/New_York", read.getString("timeZone"));
        assertEquals("QA", read.getString("description"));
    }

    @Test
    void connections_never_return_secrets() {
        var jdbc = jdbcConnection();
        var http = httpConnection();
        var all = api().get("/api/connections");
        assertEquals(200, all.status());
        assertFalse(all.body().contains("s3cret"), all.body());
        assertFalse(all.body().contains("Bearer xyz"), all.body());
        var listedJdbc = all.array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(jdbc)).findFirst().orElseThrow();
        assertEquals("JDBC", listedJdbc.getString("type"));
        assertEquals("***", listedJdbc.getString("password"));
        assertEquals("sa", listedJdbc.getString("username"));

        var one = api().get("/api/connections/" + id(listedJdbc, "id"));
        assertEquals(200, one.status());
        assertEquals("***", one.json().getString("password"));
        assertEquals("jdbc:h2:tcp://127.0.0.1/crm", one.json().getString("jdbcUrl"));

        var listedHttp = all.array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(http)).findFirst().orElseThrow();
        assertEquals("HTTP", listedHttp.getString("type"));
        assertEquals("http://127.0.0.1:9/erp", listedHttp.getString("baseUrl"));
        assertEquals("***", listedHttp.getJsonObject("headers").getString("Authorization"));
        assertEquals("***", listedHttp.getJsonObject("headers").getString("X-Tenant"), "every header value is masked (issue 10)");
    }

    @Test
    void a_connection_is_replaced_by_put_keeping_masked_secrets_and_bad_puts_change_nothing() {
        IntSupplier connections = () -> count("/api/connections");
        var name = jdbcConnection();
        var other = jdbcConnection();
        long id = id(api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow(), "id");
        int before = connections.getAsInt();

        var renamed = unique("CRM");
        var put = api().put("/api/connections/" + id, """
                {"name":"%s","type":"JDBC","jdbcUrl":"jdbc:h2:tcp://127.0.0.1/crm2","username":"sa","password":"***"}"""
                .formatted(renamed));
        assertEquals(200, put.status(), put.toString());
        assertEquals(renamed, put.json().getString("name"));
        assertEquals("***", put.json().getString("password"), "the password is kept (and masked)");
        var read = api().get("/api/connections/" + id).json();
        assertEquals(renamed, read.getString("name"));
        assertEquals("jdbc:h2:tcp://127.0.0.1/crm2", read.getString("jdbcUrl"));
        assertEquals("***", read.getString("password"));
        assertEquals(before, connections.getAsInt());

        var http = httpConnection();
        long httpId = id(api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(http)).findFirst().orElseThrow(), "id");
        var httpPut = api().put("/api/connections/" + httpId, """
                {"name":"%s","baseUrl":"http://127.0.0.1:9/erp2","headers":{"Authorization":"***","X-Tenant":"t2"}}"""
                .formatted(http));
        assertEquals(200, httpPut.status(), httpPut.toString());
        assertEquals("***", httpPut.json().getJsonObject("headers").getString("Authorization"), "a masked header is kept");
        assertEquals("***", httpPut.json().getJsonObject("headers").getString("X-Tenant"), "every header value is masked (issue 10)");
        before = connections.getAsInt();

        var good = """
                {"name":"%s","type":"JDBC","jdbcUrl":"jdbc:h2:tcp://127.0.0.1/crm3"}""".formatted(renamed);
        rejected(api().put("/api/connections/987654321", good), 404, MISSING, connections, before);
        rejected(api().put("/api/connections/" + id, good.replace("jdbc:h2:tcp", "postgres:")), 400, "jdbcUrl", connections, before);
        rejected(api().put("/api/connections/" + id, good.replace("\"JDBC\"", "\"HTTP\"")), 400, "type", connections, before);
        rejected(api().put("/api/connections/" + id, good.replace(renamed, other)), 409, "name", connections, before);
        var unchanged = api().get("/api/connections/" + id).json();
        assertEquals(renamed, unchanged.getString("name"), "a failed PUT changes nothing");
        assertEquals("jdbc:h2:tcp://127.0.0.1/crm2", unchanged.getString("jdbcUrl"));
        assertEquals("***", unchanged.getString("password"));

        var viewerName = unique("viewer");
        var user = api().post("/api/users", "{\"username\":\"" + viewerName + "\",\"password\":\"viewer-pw-1\",\"roles\":[\"viewer\"]}");
        assertEquals(201, user.status(), user.toString());
        assertEquals(403, api().as(viewerName, "viewer-pw-1").put("/api/connections/" + id, good).status());
        assertEquals("jdbc:h2:tcp://127.0.0.1/crm2", api().get("/api/connections/" + id).json().getString("jdbcUrl"));
    }

    @Test
    void a_flow_is_created_as_version_1_and_a_put_makes_version_2() {
        var source = jdbcConnection();
        var destination = httpConnection();
        var name = unique("flow");
        var created = api().post("/api/process-flows", flowJson(name, source, destination));
        assertEquals(201, created.status(), created.toString());
        assertEquals(1, created.json().getInt("version"));
        long id = id(created.json(), "id");
        assertEquals("PUT", created.json().getJsonObject("destination").getString("method"), "method defaults to PUT");
        assertEquals(3, created.json().getJsonArray("mapping").size());

        var changed = flowJson(name, source, destination).replace("\"DE\"", "\"AT\"");
        var put = api().put("/api/process-flows/" + id, changed);
        assertEquals(200, put.status(), put.toString());
        assertEquals(2, put.json().getInt("version"));
        assertEquals(id, id(put.json(), "id"));

        var read = api().get("/api/process-flows/" + id).json();
        assertEquals(2, read.getInt("version"));
        assertEquals("AT", read.getJsonArray("mapping").getJsonObject(2).getString("value"));
        var v1 = api().get("/api/process-flows/" + id + "/versions/1");
        assertEquals(200, v1.status(), v1.toString());
        assertEquals("DE", v1.json().getJsonArray("mapping").getJsonObject(2).getString("value"), "old versions are kept");
        assertEquals(2, api().get("/api/process-flows/" + id + "/versions").array().size());
        assertTrue(api().get("/api/process-flows").array().stream().anyMatch(f -> f.asJsonObject().getString("name").equals(name)));
    }

    @Test
    void an_http_source_and_a_jdbc_destination_are_accepted() {
        var body = """
                {"name":"%s","source":{"connection":"%s","listPath":"/contacts","itemPath":"/contacts/{id}","idField":"id"},
                 "mapping":[{"target":"email","source":"email"}],
                 "destination":{"connection":"%s","table":"customers","keyColumn":"source_id"}}"""
                .formatted(unique("flow"), httpConnection(), jdbcConnection());
        var r = api().post("/api/process-flows", body);
        assertEquals(201, r.status(), r.toString());
        assertEquals("/contacts/{id}", r.json().getJsonObject("source").getString("itemPath"));
        assertEquals("source_id", r.json().getJsonObject("destination").getString("keyColumn"));
    }

    @Test
    void deploy_creates_then_redeploys_the_same_deployment_with_the_latest_version_and_kept_settings() {
        long env = environment(unique("env"));
        long flow = flow();
        var first = api().post("/api/environments/" + env + "/deployments", """
                {"flowId":"%d","sync":{"mode":"MANUAL"},
                 "retry":{"mode":"AUTO","frequency":"DAILY","dailyAt":"02:30","intervalHours":3,"timeLapseMinutes":20,"batchSize":250}}"""
                .formatted(flow));
        assertEquals(201, first.status(), first.toString());
        long deploymentId = id(first.json(), "deploymentId");
        assertTrue(first.location().endsWith("/api/deployments/" + deploymentId), first.location());
        assertEquals(1, first.json().getInt("flowVersion"));
        assertEquals(env, id(first.json(), "environmentId"));
        var retry = first.json().getJsonObject("retry");
        assertEquals("AUTO", retry.getString("mode"));
        assertEquals("DAILY", retry.getString("frequency"));
        assertEquals("02:30", retry.getString("dailyAt"));
        assertEquals(3, retry.getInt("intervalHours"));
        assertEquals(20, retry.getInt("timeLapseMinutes"));
        assertEquals(250, retry.getInt("batchSize"));
        assertTrue(retry.containsKey("nextRunAt"));
        var firstDeployedAt = first.json().getString("deployedAt");

        var put = api().put("/api/process-flows/" + flow, api().get("/api/process-flows/" + flow).body());
        assertEquals(200, put.status(), put.toString());

        var again = api().post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow + "}");
        assertEquals(200, again.status(), again.toString());
        assertEquals(deploymentId, id(again.json(), "deploymentId"));
        assertEquals(2, again.json().getInt("flowVersion"));
        assertEquals(retry.getString("dailyAt"), again.json().getJsonObject("retry").getString("dailyAt"));
        assertEquals(250, again.json().getJsonObject("retry").getInt("batchSize"));
        assertEquals("AUTO", again.json().getJsonObject("retry").getString("mode"));
        assertTrue(again.json().getString("deployedAt").compareTo(firstDeployedAt) >= 0);

        var deployment = api().get("/api/deployments/" + deploymentId);
        assertEquals(200, deployment.status(), deployment.toString());
        assertEquals(2, deployment.json().getInt("flowVersion"));
    }

    @Test
    void first_deploy_without_settings_is_manual_and_undeploy_keeps_it_readable() {
        long env = environment(unique("env"));
        long flow = flow();
        var first = api().post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow + "}");
        assertEquals(201, first.status(), first.toString());
        long deploymentId = id(first.json(), "deploymentId");
        var retry = first.json().getJsonObject("retry");
        assertEquals("MANUAL", retry.getString("mode"));
        assertEquals("HOURLY", retry.getString("frequency"));
        assertEquals(1, retry.getInt("intervalHours"));
        assertEquals(0, retry.getInt("timeLapseMinutes"));
        assertEquals(100, retry.getInt("batchSize"));
        assertEquals("MANUAL", first.json().getJsonObject("sync").getString("mode"));

        var listed = api().get("/api/environments/" + env + "/process-flows");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(1, listed.array().size());
        var item = listed.array().getJsonObject(0);
        assertEquals(deploymentId, id(item, "deploymentId"));
        assertEquals(flow, id(item, "flowId"));
        assertEquals("CRM contacts into ERP customers", item.getString("description"));
        assertEquals(1, item.getInt("flowVersion"));
        assertEquals(0, item.getJsonObject("bucket").getInt("failed"));
        assertEquals(0, item.getJsonObject("bucket").getInt("succeeded"));
        assertEquals("MANUAL", item.getJsonObject("retry").getString("mode"));
        assertTrue(item.getJsonObject("retry").containsKey("nextRunAt"));

        var undeployed = api().delete("/api/deployments/" + deploymentId);
        assertEquals(1, count("/api/environments/" + env + "/deployments"), "undeployed deployments are still listed there");
        assertEquals(200, undeployed.status(), undeployed.toString());
        assertFalse(undeployed.json().getBoolean("deployed"));
        assertEquals(0, count("/api/environments/" + env + "/process-flows"));
        var read = api().get("/api/deployments/" + deploymentId);
        assertEquals(200, read.status(), "an undeployed deployment stays readable");
        assertFalse(read.json().isNull("undeployedAt"));

        var redeployed = api().post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow
                + ",\"sync\":{\"mode\":\"AUTO\",\"everyMinutes\":15}}");
        assertEquals(200, redeployed.status(), redeployed.toString());
        assertEquals(deploymentId, id(redeployed.json(), "deploymentId"));
        assertTrue(redeployed.json().getBoolean("deployed"));
        assertTrue(redeployed.json().isNull("undeployedAt"));
        assertEquals(15, redeployed.json().getJsonObject("sync").getInt("everyMinutes"));
        assertEquals(1, count("/api/environments/" + env + "/process-flows"));
    }

    @Test
    void bucket_counts_are_grouped_by_status_on_postgres() throws Exception {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "the H2 file is locked by the server");
        long env = environment(unique("env"));
        long deploymentId = id(api().post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow() + "}").json(),
                "deploymentId");
        var db = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("flowretry.it.pgdb", "flowretry_it");
        try (var c = DriverManager.getConnection(db, "postgres", "");
             var insert = c.prepareStatement("""
                     insert into bucket_items (id, deployment_id, source_id, node_name, status, queue_state, tries, auto_tries,
                       last_attempt_at, next_attempt_at, created_at, lock_version)
                     values (nextval('app_seq'), ?, ?, 'CRM', ?, 'QUEUED', 0, 0, now(), now(), now(), 0)""")) {
            String[] statuses = {"FAILED", "FAILED", "FAILED", "SUCCESS", "SUCCESS"};
            for (int i = 0; i < statuses.length; i++) {
                insert.setLong(1, deploymentId);
                insert.setString(2, "src-" + i);
                insert.setString(3, statuses[i]);
                insert.executeUpdate();
            }
        }
        var bucket = api().get("/api/environments/" + env + "/process-flows").array().getJsonObject(0).getJsonObject("bucket");
        assertEquals(3, bucket.getInt("failed"));
        assertEquals(2, bucket.getInt("succeeded"));
    }

    // ---- rejected inputs: status, field, nothing stored -------------------------------------------

    @Test
    void bad_environments_are_rejected() {
        IntSupplier envs = () -> count("/api/environments");
        int before = envs.getAsInt();
        rejected(api().post("/api/environments", "{\"description\":\"no name\"}"), 400, "name", envs, before);
        rejected(api().post("/api/environments", "{\"name\":\"" + unique("e") + "\",\"timeZone\":\"Mars/Olympus\"}"),
                400, "timeZone", envs, before);
        rejected(api().post("/api/environments", "{\"name\":"), 400, MALFORMED, envs, before);
        var name = unique("env");
        environment(name);
        before = envs.getAsInt();
        rejected(api().post("/api/environments", "{\"name\":\"" + name + "\"}"), 409, "name", envs, before);

        long id = environment(unique("env"));
        var patch = api().patch("/api/environments/" + id, "{\"timeZone\":\"Not/AZone\",\"active\":false}");
        rejected(patch, 400, "timeZone", envs, before + 1);
        var unchanged = api().get("/api/environments/" + id).json();
        assertEquals("Europe/Berlin", unchanged.getString("timeZone"));
        assertTrue(unchanged.getBoolean("active"), "a failed PATCH changes nothing");

        rejected(api().get("/api/environments/987654321"), 404, MISSING, envs, before + 1);
        rejected(api().patch("/api/environments/987654321", "{\"active\":false}"), 404, MISSING, envs, before + 1);
    }

    @Test
    void bad_connections_are_rejected() {
        IntSupplier connections = () -> count("/api/connections");
        var existing = jdbcConnection();
        int before = connections.getAsInt();
        rejected(api().post("/api/connections", "{\"name\":\"" + unique("c") + "\",\"type\":\"FTP\"}"),
                400, "type", connections, before);
        rejected(api().post("/api/connections", "{\"name\":\"" + unique("c") + "\",\"type\":\"JDBC\"}"),
                400, "jdbcUrl", connections, before);
        rejected(api().post("/api/connections", "{\"name\":\"" + unique("c") + "\",\"type\":\"JDBC\",\"jdbcUrl\":\"postgres://x\"}"),
                400, "jdbcUrl", connections, before);
        rejected(api().post("/api/connections", "{\"name\":\"" + unique("c") + "\",\"type\":\"HTTP\",\"baseUrl\":\"ftp://x\"}"),
                400, "baseUrl", connections, before);
        rejected(api().post("/api/connections", "{\"type\":\"HTTP\",\"baseUrl\":\"http://127.0.0.1\"}"),
                400, "name", connections, before);
        rejected(api().post("/api/connections", "{\"name\":\"" + existing + "\",\"type\":\"JDBC\",\"jdbcUrl\":\"jdbc:h2:mem:x\"}"),
                409, "name", connections, before);
        rejected(api().post("/api/connections", "{\"name\": \"x\", \"type\": "), 400, MALFORMED, connections, before);
        rejected(api().get("/api/connections/987654321"), 404, MISSING, connections, before);
    }

    @Test
    void bad_flows_are_rejected() {
        IntSupplier flows = () -> count("/api/process-flows");
        var jdbc = jdbcConnection();
        var http = httpConnection();
        var good = flowJson(unique("flow"), jdbc, http);
        int before = flows.getAsInt();

        rejected(api().post("/api/process-flows", flowJson(unique("f"), "NoSuchApp", http)), 400, "source.connection", flows, before);
        rejected(api().post("/api/process-flows", flowJson(unique("f"), jdbc, "NoSuchApp")), 400, "destination.connection", flows, before);
        rejected(api().post("/api/process-flows", good.replace(",\"idColumn\":\"id\"", "")), 400, "source.idColumn", flows, before);
        rejected(api().post("/api/process-flows", good.replace("\"table\":\"contacts\"", "\"table\":\"contacts; drop table users\"")),
                400, "source.table", flows, before);
        rejected(api().post("/api/process-flows", good.replace("\"path\":\"/customers/{id}\"", "\"method\":\"PUT\"")),
                400, "destination.path", flows, before);
        rejected(api().post("/api/process-flows", good.replace("\"path\":\"/customers/{id}\"", "\"path\":\"/c/{id}\",\"method\":\"DELETE\"")),
                400, "destination.method", flows, before);
        var emptyMapping = good.substring(0, good.indexOf("\"mapping\"")) + "\"mapping\":[]," + good.substring(good.indexOf("\"destination\""));
        rejected(api().post("/api/process-flows", emptyMapping), 400, "mapping", flows, before);
        rejected(api().post("/api/process-flows", good.replace("^[^@]+@[^@]+$", "([unclosed")), 400, "mapping", flows, before);
        rejected(api().post("/api/process-flows", good.replace("\"name\":\"flow", "\"nome\":\"flow")), 400, "name", flows, before);
        var httpSource = """
                {"name":"%s","source":{"connection":"%s","listPath":"/contacts","idField":"id"},
                 "mapping":[{"target":"email","source":"email"}],
                 "destination":{"connection":"%s","table":"customers","keyColumn":"source_id"}}""".formatted(unique("f"), http, jdbc);
        rejected(api().post("/api/process-flows", httpSource), 400, "source.itemPath", flows, before);
        var badColumn = httpSource.replace("\"idField\":\"id\"", "\"itemPath\":\"/contacts/{id}\",\"idField\":\"id\"")
                .replace("\"target\":\"email\"", "\"target\":\"e-mail\"");
        rejected(api().post("/api/process-flows", badColumn), 400, "mapping[0].target", flows, before);
        rejected(api().post("/api/process-flows", "[1,2"), 400, MALFORMED, flows, before);

        var created = api().post("/api/process-flows", good);
        assertEquals(201, created.status(), created.toString());
        long id = id(created.json(), "id");
        rejected(api().post("/api/process-flows", good), 409, "name", flows, before + 1);
        rejected(api().put("/api/process-flows/" + id, good.replace("\"connection\":\"" + jdbc + "\"", "\"connection\":\"Nope\"")),
                400, "source.connection", flows, before + 1);
        assertEquals(1, api().get("/api/process-flows/" + id).json().getInt("version"), "a failed PUT makes no version");
        rejected(api().put("/api/process-flows/987654321", good), 404, MISSING, flows, before + 1);
        rejected(api().get("/api/process-flows/987654321"), 404, MISSING, flows, before + 1);
        rejected(api().get("/api/process-flows/" + id + "/versions/7"), 404, MISSING, flows, before + 1);
    }

    @Test
    void bad_deployments_are_rejected_and_store_nothing() {
        long env = environment(unique("env"));
        long flow = flow();
        var path = "/api/environments/" + env + "/deployments";
        IntSupplier deployed = () -> count("/api/environments/" + env + "/process-flows");
        var retry = "{\"flowId\":" + flow + ",\"retry\":{\"mode\":\"AUTO\",\"frequency\":\"HOURLY\",%s}}";

        rejected(api().post(path, retry.formatted("\"intervalHours\":0")), 400, "retry.intervalHours", deployed, 0);
        rejected(api().post(path, retry.formatted("\"intervalHours\":24")), 400, "retry.intervalHours", deployed, 0);
        rejected(api().post(path, retry.formatted("\"timeLapseMinutes\":-1")), 400, "retry.timeLapseMinutes", deployed, 0);
        rejected(api().post(path, retry.formatted("\"batchSize\":0")), 400, "retry.batchSize", deployed, 0);
        rejected(api().post(path, retry.formatted("\"batchSize\":10001")), 400, "retry.batchSize", deployed, 0);
        rejected(api().post(path, retry.formatted("\"intervalHours\":2").replace("HOURLY", "DAILY")), 400, "retry.dailyAt", deployed, 0);
        rejected(api().post(path, retry.formatted("\"dailyAt\":\"25:00\"").replace("HOURLY", "DAILY")), 400, "retry.dailyAt", deployed, 0);
        rejected(api().post(path, retry.formatted("\"dailyAt\":\"2pm\"").replace("HOURLY", "DAILY")), 400, "retry.dailyAt", deployed, 0);
        rejected(api().post(path, retry.formatted("\"batchSize\":5").replace("AUTO", "SOMETIMES")), 400, "retry.mode", deployed, 0);
        rejected(api().post(path, retry.formatted("\"batchSize\":5").replace("HOURLY", "WEEKLY")), 400, "retry.frequency", deployed, 0);
        rejected(api().post(path, "{\"flowId\":" + flow + ",\"sync\":{\"mode\":\"AUTO\"}}"), 400, "sync.everyMinutes", deployed, 0);
        rejected(api().post(path, "{\"flowId\":" + flow + ",\"sync\":{\"mode\":\"NEVER\"}}"), 400, "sync.mode", deployed, 0);
        rejected(api().post(path, "{\"flowId\":987654321}"), 400, "flowId", deployed, 0);
        rejected(api().post(path, "{\"flowId\":\"abc\"}"), 400, "flowId", deployed, 0);
        rejected(api().post(path, "{\"retry\":{\"mode\":\"MANUAL\"}}"), 400, "flowId", deployed, 0);
        rejected(api().post(path, "{\"flowId\":" + flow + ","), 400, MALFORMED, deployed, 0);
        rejected(api().post(path, retry.formatted("\"intervalHours\":\"two\"")), 400, "detail:intervalHours", deployed, 0);
        rejected(api().post("/api/environments/987654321/deployments", "{\"flowId\":" + flow + "}"), 404, MISSING, deployed, 0);
        rejected(api().get("/api/environments/987654321/process-flows"), 404, MISSING, deployed, 0);
        rejected(api().get("/api/deployments/987654321"), 404, MISSING, deployed, 0);
        rejected(api().delete("/api/deployments/987654321"), 404, MISSING, deployed, 0);

        var created = api().post(path, retry.formatted("\"batchSize\":42"));
        assertEquals(201, created.status(), created.toString());
        long deploymentId = id(created.json(), "deploymentId");
        rejected(api().post(path, retry.formatted("\"batchSize\":0")), 400, "retry.batchSize", deployed, 1);
        assertEquals(42, api().get("/api/deployments/" + deploymentId).json().getJsonObject("retry").getInt("batchSize"),
                "a rejected redeploy keeps the deployment as it was");
    }

    // ---- security and server endpoints ----------------------------------------------------------

    @Test
    void callers_need_credentials_and_writes_need_admin() {
        long env = environment(unique("env"));
        long flow = flow();
        var deploymentId = id(api().post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow + "}").json(),
                "deploymentId");
        var anonymous = api().anonymous();
        for (var path : new String[]{"/api/connections", "/api/process-flows", "/api/environments/" + env + "/process-flows",
                "/api/deployments/" + deploymentId}) {
            assertEquals(401, anonymous.get(path).status(), path);
        }
        assertEquals(401, anonymous.post("/api/connections", "{}").status());

        var viewerName = unique("viewer");
        var user = api().post("/api/users", "{\"username\":\"" + viewerName + "\",\"password\":\"viewer-pw-1\",\"roles\":[\"viewer\"]}");
        assertEquals(201, user.status(), user.toString());
        var viewer = api().as(viewerName, "viewer-pw-1");
        assertEquals(200, viewer.get("/api/connections").status());
        assertEquals(200, viewer.get("/api/process-flows/" + flow).status());
        assertEquals(200, viewer.get("/api/deployments/" + deploymentId).status());
        assertEquals(200, viewer.get("/api/environments/" + env + "/process-flows").status());

        int connections = count("/api/connections");
        assertEquals(403, viewer.post("/api/connections", "{\"name\":\"" + unique("c")
                + "\",\"type\":\"HTTP\",\"baseUrl\":\"http://127.0.0.1\"}").status());
        assertEquals(connections, count("/api/connections"));
        assertEquals(403, viewer.post("/api/process-flows", flowJson(unique("f"), "a", "b")).status());
        assertEquals(403, viewer.put("/api/process-flows/" + flow, flowJson(unique("f"), "a", "b")).status());
        assertEquals(403, viewer.post("/api/environments", "{\"name\":\"" + unique("e") + "\"}").status());
        assertEquals(403, viewer.patch("/api/environments/" + env, "{\"active\":false}").status());
        assertEquals(403, viewer.post("/api/environments/" + env + "/deployments", "{\"flowId\":" + flow + "}").status());
        assertEquals(403, viewer.delete("/api/deployments/" + deploymentId).status());
        assertTrue(api().get("/api/deployments/" + deploymentId).json().getBoolean("deployed"));
        assertTrue(api().get("/api/environments/" + env).json().getBoolean("active"));
    }

    @Test
    void readiness_includes_the_database_and_openapi_answers() {
        var ready = api().anonymous().get("/health/ready");
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("UP", ready.json().getString("status"));
        assertTrue(ready.json().getJsonArray("checks").stream()
                .anyMatch(c -> c.asJsonObject().getString("name").equals("database")
                        && c.asJsonObject().getString("status").equals("UP")), ready.body());
        var openapi = api().get("/openapi");
        assertEquals(200, openapi.status(), openapi.toString());
        assertTrue(openapi.body().contains("/api/process-flows") || openapi.body().contains("process-flows"), "documents our API");
        assertNotEquals(0, openapi.body().length());
    }
}
