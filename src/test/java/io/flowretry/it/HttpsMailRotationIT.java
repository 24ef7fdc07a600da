package io.flowretry.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One server of the test's own ({@link PayaraMicro}, its own database), started with an HTTPS port,
 * secret key A and an SMTP server the test runs on 127.0.0.1 — and restarted once, with key B and A as
 * the previous key. In that order: the session cookie over HTTPS and HTTP (issue 10); EMAIL alerts (the
 * test message, RECORD_EXHAUSTED, a refused delivery retried) and the job repository's old executions
 * purged by retention (issue 15); then the key rotation, whose run goes through the connection whose
 * password was sealed under key A. On PostgreSQL the server's database is {@code secobs_rotation}.
 */
@Tag("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsMailRotationIT {

    private static final String SOURCE_PASSWORD = "src-Secret-42";
    private static final byte[] KEY_A = randomKey();
    private static final byte[] KEY_B = randomKey();

    private static SmtpServer smtp;
    private static H2Apps h2;
    private static PayaraMicro server;
    private static String serverName;
    private static int sslPort;
    private static String sourceUrl;
    private static String destinationUrl;
    private static String databaseUrl;
    /** Set by the alert test, used by the rotation test: a deployment whose 2 records are exhausted. */
    private static long deployment;
    private static String sourceConnection;
    private static long sourceConnectionId;

    private static boolean postgres() {
        return "postgres".equals(System.getProperty("flowretry.it.db"));
    }

    @BeforeAll
    static void start() throws Exception {
        smtp = new SmtpServer();
        h2 = H2Apps.start();
        sourceUrl = h2.url("secobs_src");
        destinationUrl = h2.url("secobs_dst");
        serverName = postgres() ? "secobs-tls-pg" : "secobs-tls";
        var work = Path.of("target", "payara-micro", serverName);
        if (Files.exists(work)) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        server = PayaraMicro.named(serverName);
        if (postgres()) {
            PostgresTestDatabase.recreate("secobs_rotation");
            databaseUrl = "jdbc:postgresql://127.0.0.1:5432/secobs_rotation";
        } else {
            databaseUrl = "jdbc:h2:file:" + server.dataDir().resolve("flowretry");
        }
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            sslPort = socket.getLocalPort();
        }
        server.env("DB_URL", databaseUrl)
                .env("FLOWRETRY_SECRET_KEY", Base64.getEncoder().encodeToString(KEY_A))
                .env("FLOWRETRY_SMTP_HOST", "127.0.0.1")
                .env("FLOWRETRY_SMTP_PORT", String.valueOf(smtp.port()))
                .env("FLOWRETRY_SMTP_FROM", "flowretry-it@example.com")
                .microOption("--sslport", String.valueOf(sslPort))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (h2 != null) {
                h2.close();
            }
            if (smtp != null) {
                smtp.close();
            }
        }
    }

    @Test
    @Order(1)
    void the_session_cookie_is_secure_only_over_https_and_the_server_keeps_to_its_own_data_grid() throws Exception {
        var https = (HttpsURLConnection) URI.create("https://127.0.0.1:" + sslPort + "/login.xhtml").toURL().openConnection();
        https.setSSLSocketFactory(trustAll().getSocketFactory());
        https.setHostnameVerifier((host, session) -> true); // Payara Micro's self-signed default certificate, this test only
        assertEquals(200, https.getResponseCode());
        var secure = sessionCookie(https);
        assertTrue(secure.containsAll(Set.of("secure", "httponly", "samesite=lax", "path=/")), secure.toString());

        var http = (HttpURLConnection) URI.create(server.base() + "/login.xhtml").toURL().openConnection();
        assertEquals(200, http.getResponseCode());
        var plain = sessionCookie(http);
        assertTrue(plain.containsAll(Set.of("httponly", "samesite=lax")), plain.toString());
        assertFalse(plain.contains("secure"), "a browser would not send a Secure cookie back over plain HTTP: " + plain);
        // issue 10, theme 6: a data grid of its own, not the host's other Payara Micro servers'
        var log = Files.readString(server.log());
        assertTrue(log.contains("DG Name: flowretry-it-" + serverName + "-"), "its own cluster name");
        assertTrue(log.contains("DG Size: 1") && !log.matches("(?s).*DG Size: [2-9].*"), "alone in its data grid");
    }

    @Test
    @Order(2)
    void an_email_channel_sends_its_test_message_through_the_configured_smtp_server() {
        var api = server.api();
        var created = api.post("/api/alert-channels", """
                {"name":"%s","type":"EMAIL","to":"ops@example.com","events":["RECORD_EXHAUSTED"]}""".formatted(unique("mail")));
        assertEquals(201, created.status(), created.toString());
        var delivery = api.post("/api/alert-channels/" + id(created.json(), "id") + "/test", "{}");
        assertEquals(200, delivery.status(), delivery.toString());
        assertEquals("SENT", delivery.json().getString("status"), delivery.toString());

        var mail = await("the test e-mail", () -> smtp.received().stream().findFirst().orElse(null));
        assertEquals("flowretry-it@example.com", mail.envelopeFrom());
        assertEquals(List.of("ops@example.com"), mail.recipients());
        assertEquals("ops@example.com", mail.header("To"));
        assertEquals("flowretry-it@example.com", mail.header("From"));
        assertTrue(mail.header("Subject").startsWith("[Process Flow Retry] TEST"), mail.header("Subject"));
        assertTrue(mail.header("Content-Type").toLowerCase(Locale.ROOT).startsWith("text/plain; charset=utf-8"), mail.header("Content-Type"));
        assertTrue(mail.header("Date") != null && mail.header("Message-ID") != null, mail.headers().toString());
        assertTrue(mail.body().contains(delivery.json().getString("message").lines().findFirst().orElseThrow()), mail.body());
    }

    @Test
    @Order(3)
    void records_that_use_up_their_tries_send_one_record_exhausted_email_and_a_refused_delivery_is_retried() throws Exception {
        var api = server.api();
        var f = new FlowFixtures(api);
        var channel = api.post("/api/alert-channels", """
                {"name":"%s","type":"EMAIL","to":"oncall@example.com","events":["RECORD_EXHAUSTED"]}""".formatted(unique("exhausted")));
        assertEquals(201, channel.status(), channel.toString());
        long channelId = id(channel.json(), "id");

        sql(sourceUrl, SOURCE_PASSWORD, "create table contacts (id varchar(20) primary key, email varchar(100), full_name varchar(100))",
                "insert into contacts values ('m1', 'm1-at-example', 'M1'), ('m2', 'm2-at-example', 'M2')");
        sql(destinationUrl, "", "create table customers (source_id varchar(20) primary key, email varchar(100), name varchar(100), country varchar(2))");
        sourceConnection = f.jdbcConnection("CRM", sourceUrl, "sa", SOURCE_PASSWORD);
        long flow = f.flow(unique("mail flow"), """
                {"connection":"%s","table":"contacts","idColumn":"id"}""".formatted(sourceConnection), """
                {"connection":"%s","table":"customers","keyColumn":"source_id"}""".formatted(f.jdbcConnection("ERP", destinationUrl, "sa", "")));
        var deployed = api.post("/api/environments/" + f.environment(unique("mail-env")) + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},
                 "retry":{"mode":"MANUAL","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":10}}""".formatted(flow));
        assertEquals(201, deployed.status(), deployed.toString());
        deployment = id(deployed.json(), "deploymentId");
        assertEquals(2, f.execute(deployment).getInt("failed"));

        smtp.refusing.set(true);
        int before = smtp.received().size();
        for (int autoTry = 1; autoTry <= 4; autoTry++) {
            var r = api.post("/api/deployments/" + deployment + "/retry-runs", "{}");
            assertEquals(202, r.status(), r.toString());
            assertEquals(2, finishedRun(api, id(r.json(), "runId")).getInt("failed"));
        }
        // the mail server said 451: recorded with its answer, retried after the back-off (30 s)
        var refused = await("a refused delivery", () -> deliveries(api, channelId).stream()
                .filter(d -> d.getInt("attempts") >= 1).findFirst().orElse(null));
        assertEquals("PENDING", refused.getString("status"), refused.toString());
        assertEquals("RECORD_EXHAUSTED", refused.getString("event"));
        assertTrue(refused.getString("lastError").contains("451"), refused.toString());
        assertEquals(before, smtp.received().size(), "nothing accepted while the server refuses");
        smtp.refusing.set(false);
        try {
            clock(api, Instant.now().plusSeconds(45));
            var sent = await("the retried delivery", () -> {
                var d = deliveries(api, channelId).getFirst();
                return d.getString("status").equals("SENT") ? d : null;
            });
            assertEquals(2, sent.getInt("attempts"), sent.toString());
        } finally {
            clock(api, Instant.now());
        }
        var alerts = smtp.received().stream().filter(m -> m.recipients().contains("oncall@example.com")).toList();
        assertEquals(1, alerts.size(), alerts.toString());
        var alert = alerts.getFirst();
        assertTrue(alert.header("Subject").startsWith("[Process Flow Retry] RECORD_EXHAUSTED"), alert.header("Subject"));
        assertTrue(alert.body().contains("2 records of flow") && alert.body().contains("only a manual RESYNC retries them now"), alert.body());
    }

    @Test
    @Order(4)
    void retention_purges_the_job_repositorys_ended_executions() throws Exception {
        var api = server.api();
        try {
            clock(api, Instant.now().plus(Duration.ofDays(91)));
            var pass = api.post("/api/retention", "{}");
            assertEquals(200, pass.status(), pass.toString());
            // the main execution and the four retry runs of the test before
            assertEquals(5, pass.json().getJsonNumber("jobExecutions").longValue(), pass.toString());
            var again = api.post("/api/retention", "{}");
            assertEquals(0, again.json().getJsonNumber("jobExecutions").longValue(), again.toString());
        } finally {
            clock(api, Instant.now());
        }
        assertEquals(2, new FlowFixtures(api).bucket(deployment, "status=FAILED").getJsonArray("items").size(),
                "a failed record is never deleted");
    }

    @Test
    @Order(5)
    void rotating_the_key_reseals_the_secrets_and_the_connection_still_works() throws Exception {
        var api = server.api();
        sourceConnectionId = api.get("/api/connections").array().getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(sourceConnection)).mapToLong(c -> id(c, "id")).findFirst().orElseThrow();
        server.stop();
        var underA = storedPassword();
        assertTrue(underA.startsWith("sealed:v1:" + keyId(KEY_A) + ":"), underA);
        assertFalse(underA.contains(SOURCE_PASSWORD));
        if (!postgres()) {
            // the stopped server's job repository: nothing left of the purged executions
            try (var c = DriverManager.getConnection("jdbc:h2:file:" + server.dataDir().resolve("jbatch"), "", "");
                 var s = c.createStatement()) {
                for (var table : List.of("EXECUTIONINSTANCEDATA", "STEPEXECUTIONINSTANCEDATA", "JOBINSTANCEDATA",
                        "CHECKPOINTDATA", "JOBSTATUS", "STEPSTATUS")) {
                    try (var rs = s.executeQuery("select count(*) from JBATCH" + table)) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), table);
                    }
                }
            }
        }

        server.env("FLOWRETRY_SECRET_KEY", Base64.getEncoder().encodeToString(KEY_B))
                .env("FLOWRETRY_SECRET_KEY_PREVIOUS", Base64.getEncoder().encodeToString(KEY_A))
                .start();
        assertTrue(Files.readString(server.log()).contains("connection secrets with the current key"), "the log says it");
        var view = api.get("/api/connections/" + sourceConnectionId);
        assertEquals(200, view.status(), view.toString());
        assertEquals("***", view.json().getString("password"), view.toString());

        // the records are fixed at the source (m1@example); a RESYNC reads them through the connection sealed under A
        sql(sourceUrl, SOURCE_PASSWORD, "update contacts set email = replace(email, '-at-', '@')");
        var started = api.post("/api/deployments/" + deployment + "/resync", "{\"filter\":{\"status\":\"FAILED\"}}");
        assertEquals(202, started.status(), started.toString());
        var run = finishedRun(api, id(started.json(), "runId"));
        assertEquals("COMPLETED", run.getString("status"), run.toString());
        assertEquals(2, run.getInt("succeeded"), run.toString());
        try (var c = DriverManager.getConnection(destinationUrl, "sa", "");
             var rs = c.createStatement().executeQuery("select email from customers order by source_id")) {
            assertTrue(rs.next() && rs.getString(1).equals("m1@example"));
            assertTrue(rs.next() && rs.getString(1).equals("m2@example"));
        }

        server.stop();
        var underB = storedPassword();
        assertTrue(underB.startsWith("sealed:v1:" + keyId(KEY_B) + ":"), underB);
        assertNotEquals(underA, underB);
    }

    private static String storedPassword() throws SQLException {
        try (var c = DriverManager.getConnection(databaseUrl, postgres() ? "postgres" : "sa", "");
             var s = c.prepareStatement("select password from connections where id = ?")) {
            s.setLong(1, sourceConnectionId);
            try (var rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static Set<String> sessionCookie(HttpURLConnection connection) {
        var cookie = connection.getHeaderFields().entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(v -> v.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        return Arrays.stream(cookie.split(";")).skip(1).map(String::trim).map(v -> v.toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).collect(Collectors.toSet());
    }

    private static SSLContext trustAll() throws Exception {
        var context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return context;
    }

    private static byte[] randomKey() {
        var key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String keyId(byte[] key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
    }

    private static List<JsonObject> deliveries(Api api, long channel) {
        var r = api.get("/api/alert-channels/" + channel + "/deliveries");
        assertEquals(200, r.status(), r.toString());
        return r.array().getValuesAs(JsonObject.class);
    }

    private static JsonObject finishedRun(Api api, long runId) {
        return await("run " + runId, () -> {
            var r = api.get("/api/retry-runs/" + runId);
            return r.status() == 200 && !"STARTED".equals(r.json().getString("status")) ? r.json() : null;
        });
    }

    private static void clock(Api api, Instant now) {
        var r = api.put("/api/test/clock", "{\"now\":\"" + now + "\"}");
        assertEquals(200, r.status(), r.toString());
    }

    private static <T> T await(String what, Supplier<T> probe) {
        return ObservabilityIT.await(what, probe);
    }

    private static void sql(String url, String password, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(url, "sa", password); var s = c.createStatement()) {
            for (var statement : statements) {
                s.execute(statement);
            }
        }
    }
}
