package io.flowretry.it;

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
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10, theme 1: a connection's JDBC URL cannot run code, write or read files, or reach the
 * application's own database — refused with 400 naming {@code jdbcUrl} on create and on edit, with
 * nothing stored; and a row stored before the rules (written straight into the database, PostgreSQL
 * pass) is refused when a run opens it. Every attack aims at a marker file in a folder of its own:
 * the folder stays empty.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class JdbcUrlAttacksIT {

    private static Path markers;
    private static Path dataDir;

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private Api api() {
        return Api.at(url);
    }

    @BeforeAll
    static void folders() throws IOException {
        markers = Files.createTempDirectory(Path.of("target"), "jdbc-url-markers").toAbsolutePath();
        var postgres = "postgres".equals(System.getProperty("flowretry.it.db"));
        dataDir = Path.of("target", postgres ? "it-data-postgres" : "it-data").toAbsolutePath();
    }

    @AfterAll
    static void nothingWasWritten() throws IOException {
        try (Stream<Path> files = Files.list(markers)) {
            assertEquals(List.of(), files.toList(), "no attack wrote a file");
        }
    }

    /** Every attack of the issue and a dozen variants of each (case, escapes, quotes, encodings). */
    static List<String> attacks() {
        var m = markers;
        var alias = "CREATE ALIAS IF NOT EXISTS PWN AS 'String pwn(String f) throws Exception { "
                + "new ProcessBuilder(\"touch\", f).start().waitFor(); return f; }'";
        var list = new ArrayList<>(List.of(
                "jdbc:h2:mem:a1;INIT=" + alias + "\\;CALL PWN('" + m.resolve("process") + "')",
                "jdbc:h2:mem:a2;INIT=CALL CSVWRITE('" + m.resolve("csv") + "', 'SELECT 1')",
                "jdbc:h2:mem:a3;INIT=RUNSCRIPT FROM '/etc/passwd'",
                "jdbc:h2:mem:a4;init=runscript from '/etc/passwd'",
                "jdbc:h2:mem:a5;\u0131n\u0131t=CALL CSVWRITE('" + m.resolve("dotless") + "', 'SELECT 1')",
                "jdbc:h2:mem:a6;MODE=PostgreSQL\\;INIT=CALL CSVWRITE('" + m.resolve("escaped") + "', 'SELECT 1')",
                "jdbc:h2:mem:a7;MODE='x;INIT=CALL CSVWRITE(''" + m.resolve("quoted") + "'', ''SELECT 1'')'",
                "jdbc:h2:mem:a8;%49NIT=RUNSCRIPT FROM '/etc/passwd'",
                "jdbc:h2:file:" + m.resolve("trace") + ";TRACE_LEVEL_FILE=3",
                "jdbc:h2:file:" + dataDir.resolve("apps/x") + ";ACCESS_MODE_DATA=r",
                "jdbc:h2:file:" + dataDir.resolve("apps/x") + ";FILE_LOCK=SERIALIZED",
                "jdbc:h2:file:" + dataDir.resolve("apps/x") + ";AUTO_SERVER=TRUE",
                "jdbc:h2:file:" + dataDir.resolve("apps/x") + ";IFEXISTS=FALSE",
                "jdbc:h2:file:" + dataDir.resolve("flowretry"),
                "jdbc:h2:file:" + dataDir.resolve("jbatch"),
                "jdbc:h2:file:" + dataDir.resolve("apps") + "/../flowretry",
                "jdbc:h2:" + dataDir.resolve("flowretry") + ";IFEXISTS=TRUE",
                "jdbc:h2:nio:" + dataDir.resolve("apps/x"),
                "jdbc:h2:~/flowretry",
                "jdbc:h2:file:" + m.resolve("outside"),
                "JDBC:H2:mem:a9",
                "jdbc:postgresql://127.0.0.1:5432/test?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext"
                        + "&socketFactoryArg=http://127.0.0.1:9/x.xml",
                "jdbc:postgresql://127.0.0.1:5432/test?%73ocketFactory=java.lang.String",
                "jdbc:postgresql://127.0.0.1:5432/test?sslfactory=java.lang.String",
                "jdbc:postgresql://127.0.0.1:5432/test?sslhostnameverifier=java.lang.String",
                "jdbc:postgresql://127.0.0.1:5432/test?loggerLevel=TRACE&loggerFile=" + m.resolve("pg.log"),
                "jdbc:postgresql://127.0.0.1:5432/test?authenticationPluginClassName=java.lang.String",
                "jdbc:postgresql://127.0.0.1:5432/test?sslrootcert=/etc/passwd",
                "jdbc:postgresql://127.0.0.1:5432/test?ssl=true&sslmode=require%26sslfactory%3Djava.lang.String",
                "jdbc:mysql://127.0.0.1:3306/test"));
        return list;
    }

    private static String jdbcBody(String name, String jdbcUrl) {
        return Json.createObjectBuilder().add("name", name).add("type", "JDBC").add("jdbcUrl", jdbcUrl)
                .add("username", "sa").add("password", "").build().toString();
    }

    private int connectionCount() {
        var r = api().get("/api/connections");
        assertEquals(200, r.status(), r.toString());
        return r.array().size();
    }

    @Test
    void every_attack_is_refused_on_create_naming_jdbcUrl_and_nothing_is_stored() {
        int before = connectionCount();
        for (String attack : attacks()) {
            var name = unique("attack");
            var r = api().post("/api/connections", jdbcBody(name, attack));
            assertEquals(400, r.status(), attack + " -> " + r);
            assertEquals("application/problem+json", r.contentType(), r.toString());
            assertEquals("jdbcUrl", r.problemField(), attack + " -> " + r);
            assertFalse(r.body().contains("root:"), "no file content in the answer: " + r);
            assertFalse(api().get("/api/connections").body().contains(name), attack + " was stored");
        }
        assertEquals(before, connectionCount());
    }

    @Test
    void every_attack_is_refused_on_edit_and_the_stored_url_stays() {
        var good = "jdbc:h2:file:" + dataDir.resolve("apps/edit-target");
        var name = unique("edit");
        var created = api().post("/api/connections", jdbcBody(name, good));
        assertEquals(201, created.status(), created.toString());
        long id = id(created.json(), "id");
        for (String attack : attacks()) {
            var r = api().put("/api/connections/" + id, jdbcBody(name, attack));
            assertEquals(400, r.status(), attack + " -> " + r);
            assertEquals("jdbcUrl", r.problemField(), attack + " -> " + r);
            assertEquals(good, api().get("/api/connections/" + id).json().getString("jdbcUrl"));
        }
    }

    @Test
    void allowed_urls_are_stored() {
        for (String allowed : List.of(
                "jdbc:h2:file:" + dataDir.resolve("apps/crm"),
                "jdbc:h2:" + dataDir.resolve("apps/sub/erp") + ";IFEXISTS=TRUE;MODE=PostgreSQL",
                "jdbc:h2:tcp://127.0.0.1:9092/mem:crm;DB_CLOSE_DELAY=-1",
                "jdbc:h2:mem:crm",
                "jdbc:postgresql://127.0.0.1:5432/crm?sslmode=disable&ApplicationName=flow")) {
            var r = api().post("/api/connections", jdbcBody(unique("ok"), allowed));
            assertEquals(201, r.status(), allowed + " -> " + r);
        }
    }

    /**
     * A connection row written before the rules (here: straight into the application's database)
     * is refused when a run opens it: the source's code does not run, the destination's
     * {@code RUNSCRIPT FROM '/etc/passwd'} reads nothing into the bucket.
     */
    @Test
    void a_row_stored_before_the_rules_is_refused_when_a_run_opens_it_on_postgres() throws Exception {
        assumeTrue("postgres".equals(System.getProperty("flowretry.it.db")), "the H2 file is locked by the server");
        PostgresTestDatabase.recreate("sec_it_src");
        var sourceUrl = "jdbc:postgresql://127.0.0.1:5432/sec_it_src";
        try (var c = DriverManager.getConnection(sourceUrl, "postgres", ""); var st = c.createStatement()) {
            st.execute("create table contacts (id int primary key, email varchar(200), full_name varchar(200))");
            st.execute("insert into contacts values (1, 'a@example.com', 'Anna'), (2, 'b@example.com', 'Ben')");
        }
        var fixtures = new FlowFixtures(api());
        var source = fixtures.jdbcConnection("legacy-src", sourceUrl, "postgres", "");
        var destination = fixtures.jdbcConnection("legacy-dst", "jdbc:h2:mem:legacy_dst", "sa", "");
        long env = fixtures.environment(unique("legacy"));
        long flow = fixtures.flow(unique("legacy"),
                "{\"connection\":\"" + source + "\",\"table\":\"contacts\",\"idColumn\":\"id\"}",
                "{\"connection\":\"" + destination + "\",\"table\":\"customers\",\"keyColumn\":\"source_id\"}");
        long deployment = fixtures.deploy(env, flow, 10, "{\"mode\":\"MANUAL\"}");

        var appDb = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("flowretry.it.pgdb", "flowretry_it");
        try (var c = DriverManager.getConnection(appDb, "postgres", "");
             var update = c.prepareStatement("update connections set jdbc_url = ? where name = ?")) {
            update.setString(1, "jdbc:h2:mem:legacy_dst;INIT=RUNSCRIPT FROM '/etc/passwd'");
            update.setString(2, destination);
            assertEquals(1, update.executeUpdate());
        }
        var execution = run(deployment);
        assertEquals(2, execution.getInt("failed"), execution.toString());
        var items = fixtures.allItems(deployment, "", 50);
        assertEquals(2, items.size());
        for (JsonObject item : items) {
            var error = item.getString("lastError");
            assertTrue(error.contains("jdbcUrl is refused"), error);
            assertFalse(error.contains("root:"), "no line of /etc/passwd: " + error);
        }

        try (var c = DriverManager.getConnection(appDb, "postgres", "");
             var update = c.prepareStatement("update connections set jdbc_url = ? where name = ?")) {
            update.setString(1, "jdbc:h2:mem:legacy_src;INIT=CALL CSVWRITE('" + markers.resolve("legacy") + "', 'SELECT 1')");
            update.setString(2, source);
            assertEquals(1, update.executeUpdate());
        }
        var refused = run(deployment);
        assertEquals("FAILED", refused.getString("status"), refused.toString());
        assertTrue(refused.getString("error", "").contains("jdbcUrl is refused"), refused.toString());
        assertFalse(Files.exists(markers.resolve("legacy")), "the source's INIT did not run");
    }

    private JsonObject run(long deploymentId) {
        var started = api().post("/api/deployments/" + deploymentId + "/executions", null);
        assertEquals(202, started.status(), started.toString());
        long executionId = id(started.json(), "executionId");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            var r = api().get("/api/executions/" + executionId);
            if (!"STARTED".equals(r.json().getString("status"))) {
                return r.json();
            }
            FlowFixtures.sleep(250);
        }
        return fail("execution " + executionId + " did not end");
    }
}
