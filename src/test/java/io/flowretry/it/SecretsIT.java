package io.flowretry.it;

import io.flowretry.platform.entity.SecretBox;
import jakarta.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10, theme 2: secrets stay secret. Every header value and the passwords inside URLs read as
 * {@code ***}, a {@code ***} sent back keeps the stored value; at rest the secrets are sealed with
 * AES-GCM under a key file of mode 0600, and the data files are 0600 (checked in the database on the
 * PostgreSQL pass, where the test can read it); user passwords are PBKDF2-HMAC-SHA256 with 600,000
 * iterations and an old hash is upgraded at the next sign-in.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("postgres")
class SecretsIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private Api api() {
        return Api.at(url);
    }

    private static boolean postgres() {
        return "postgres".equals(System.getProperty("flowretry.it.db"));
    }

    private static Path dataDir() {
        return Path.of("target", postgres() ? "it-data-postgres" : "it-data").toAbsolutePath();
    }

    private static java.sql.Connection appDatabase() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("flowretry.it.pgdb", "flowretry_it"), "postgres", "");
    }

    private static final Map<String, String> HEADERS = Map.of(
            "X-Auth-Key", "auth-key-1", "Api-Key", "api-key-1", "Ocp-Apim-Subscription-Key", "apim-1", "X-Tenant", "tenant-1");

    private long http(String name, String baseUrl) {
        var headers = Json.createObjectBuilder();
        HEADERS.forEach(headers::add);
        var r = api().post("/api/connections", Json.createObjectBuilder().add("name", name).add("type", "HTTP")
                .add("baseUrl", baseUrl).add("headers", headers).build().toString());
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    private long jdbc(String name, String jdbcUrl, String password) {
        var r = api().post("/api/connections", Json.createObjectBuilder().add("name", name).add("type", "JDBC")
                .add("jdbcUrl", jdbcUrl).add("username", "sa").add("password", password).build().toString());
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    @Test
    void every_header_value_and_every_password_inside_a_url_reads_as_the_mask() {
        long httpId = http(unique("erp"), "https://svc:url-secret@127.0.0.1:9/erp");
        var shown = api().get("/api/connections/" + httpId);
        assertEquals(200, shown.status());
        HEADERS.keySet().forEach(h -> assertEquals("***", shown.json().getJsonObject("headers").getString(h), h));
        assertEquals("https://svc:***@127.0.0.1:9/erp", shown.json().getString("baseUrl"));

        long h2 = jdbc(unique("crm"), "jdbc:h2:tcp://127.0.0.1:9/mem:crm;USER=sa;PASSWORD=h2-secret", "pw-1");
        long pg = jdbc(unique("crm"), "jdbc:postgresql://127.0.0.1:5432/crm?user=app&password=pg-secret", "pw-2");
        assertEquals("jdbc:h2:tcp://127.0.0.1:9/mem:crm;USER=sa;PASSWORD=***", api().get("/api/connections/" + h2).json().getString("jdbcUrl"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/crm?user=app&password=***", api().get("/api/connections/" + pg).json().getString("jdbcUrl"));
        var all = api().get("/api/connections").body();
        for (String secret : List.of("auth-key-1", "api-key-1", "apim-1", "tenant-1", "url-secret", "h2-secret", "pg-secret", "pw-1", "pw-2")) {
            assertFalse(all.contains(secret), secret + " leaked in GET /api/connections");
        }
    }

    @Test
    void the_mask_sent_back_keeps_the_stored_secrets_and_they_are_sealed_at_rest_on_postgres() throws Exception {
        var name = unique("erp");
        long httpId = http(name, "https://svc:url-secret@127.0.0.1:9/erp");
        var put = api().put("/api/connections/" + httpId, Json.createObjectBuilder().add("name", name)
                .add("baseUrl", "https://svc:***@127.0.0.1:9/erp/v2")
                .add("headers", Json.createObjectBuilder().add("X-Auth-Key", "***").add("Api-Key", "api-key-2")).build().toString());
        assertEquals(200, put.status(), put.toString());
        var jdbcName = unique("crm");
        long pgId = jdbc(jdbcName, "jdbc:postgresql://127.0.0.1:5432/crm?user=app&password=pg-secret", "pw-1");
        var jdbcPut = api().put("/api/connections/" + pgId, Json.createObjectBuilder().add("name", jdbcName)
                .add("jdbcUrl", "jdbc:postgresql://127.0.0.1:5433/crm?user=app&password=***").add("username", "sa")
                .add("password", "***").build().toString());
        assertEquals(200, jdbcPut.status(), jdbcPut.toString());

        assumeTrue(postgres(), "the H2 file is locked by the server");
        var box = new SecretBox(Base64.getDecoder().decode(Files.readString(dataDir().resolve("secret.key")).trim()), List.of());
        try (var c = appDatabase();
             var select = c.prepareStatement("select jdbc_url, password, base_url, headers from connections where id = ?")) {
            select.setLong(1, httpId);
            try (var rows = select.executeQuery()) {
                assertTrue(rows.next());
                var baseUrl = rows.getString("base_url");
                var headers = rows.getString("headers");
                assertTrue(baseUrl.startsWith(SecretBox.PREFIX) && headers.startsWith(SecretBox.PREFIX), baseUrl + " " + headers);
                assertFalse(headers.contains("auth-key-1") || baseUrl.contains("url-secret"), "sealed, not plain");
                assertEquals("https://svc:url-secret@127.0.0.1:9/erp/v2", box.open(baseUrl), "the masked user-info kept the password");
                var opened = box.open(headers);
                assertTrue(opened.contains("\"X-Auth-Key\":\"auth-key-1\"") && opened.contains("\"Api-Key\":\"api-key-2\""), opened);
            }
            select.setLong(1, pgId);
            try (var rows = select.executeQuery()) {
                assertTrue(rows.next());
                assertEquals("jdbc:postgresql://127.0.0.1:5433/crm?user=app&password=pg-secret", box.open(rows.getString("jdbc_url")));
                assertEquals("pw-1", box.open(rows.getString("password")));
                assertFalse(rows.getString("password").contains("pw-1"));
            }
        }
    }

    @Test
    void the_key_file_and_the_data_files_are_readable_by_their_owner_only() throws Exception {
        var key = dataDir().resolve("secret.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (Stream<Path> files = Files.walk(dataDir())) {
            var databases = files.filter(f -> f.toString().endsWith(".mv.db")).toList();
            assertFalse(databases.isEmpty(), "the H2 files (the batch job repository at least) exist");
            for (Path db : databases) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)), db.toString());
            }
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir())));
    }

    @Test
    void passwords_are_hashed_with_600000_iterations_and_an_old_hash_is_upgraded_at_sign_in_on_postgres() throws Exception {
        var user = unique("op").toLowerCase();
        var created = api().post("/api/users", "{\"username\":\"" + user + "\",\"password\":\"operator-pw-1\",\"roles\":[\"operator\"]}");
        assertEquals(201, created.status(), created.toString());
        assertEquals(200, api().as(user, "operator-pw-1").get("/api/users/me").status());
        assumeTrue(postgres(), "the H2 file is locked by the server");
        assertTrue(hash(user).startsWith("PBKDF2WithHmacSHA256:600000:"), hash(user));

        var old = unique("old").toLowerCase();
        assertEquals(201, api().post("/api/users", "{\"username\":\"" + old + "\",\"password\":\"old-password\",\"roles\":[\"viewer\"]}").status());
        var salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        var weak = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("old-password".toCharArray(), salt, 2048, 256)).getEncoded();
        try (var c = appDatabase(); var update = c.prepareStatement("update users set password_hash = ? where username = ?")) {
            update.setString(1, "PBKDF2WithHmacSHA256:2048:" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(weak));
            update.setString(2, old);
            assertEquals(1, update.executeUpdate());
        }
        assertEquals(200, api().as(old, "old-password").get("/api/users/me").status(), "the old hash still signs in");
        assertTrue(hash(old).startsWith("PBKDF2WithHmacSHA256:600000:"), "upgraded: " + hash(old));
        assertEquals(200, api().as(old, "old-password").get("/api/users/me").status());
        assertEquals(401, api().as(old, "wrong-password").get("/api/users/me").status());
    }

    private static String hash(String user) throws Exception {
        try (var c = appDatabase(); var select = c.prepareStatement("select password_hash from users where username = ?")) {
            select.setString(1, user);
            try (var rows = select.executeQuery()) {
                assertTrue(rows.next());
                return rows.getString(1);
            }
        }
    }
}
