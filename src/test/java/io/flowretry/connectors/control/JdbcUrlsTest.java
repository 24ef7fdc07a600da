package io.flowretry.connectors.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcUrlsTest {

    /** The data folder of these tests: apps under /srv/flowretry/data/apps, the application's own DB beside them. */
    private static final JdbcUrls URLS = new JdbcUrls(Path.of("/srv/flowretry/data/apps"), "jdbc:h2:file:/srv/flowretry/data/flowretry");

    @ParameterizedTest
    @ValueSource(strings = {
            // code and files on connect, and the same smuggled past a naive check
            "jdbc:h2:mem:x;INIT=CREATE ALIAS E AS 'String e(String c) throws Exception { new ProcessBuilder(c).start(); return c; }'",
            "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x;init=runscript from '/etc/passwd'",
            "jdbc:h2:mem:x;InIt=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x;\u0131n\u0131t=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x;MODE=PostgreSQL\\;INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x;MODE='a;INIT=RUNSCRIPT FROM ''/etc/passwd'''",
            "jdbc:h2:mem:x;MODE=\"Regular;INIT=CALL CSVWRITE('/tmp/m', 'SELECT 1')\"",
            "jdbc:h2:mem:x;%49NIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x; INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:mem:x;RUNSCRIPT=/etc/passwd",
            "jdbc:h2:mem:x;TRACE_LEVEL_FILE=3",
            "jdbc:h2:mem:x;ACCESS_MODE_DATA=r",
            "jdbc:h2:mem:x;FILE_LOCK=SERIALIZED",
            "jdbc:h2:mem:x;AUTO_SERVER=TRUE",
            "jdbc:h2:mem:x;IFEXISTS=FALSE",
            "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;CIPHER=AES",
            "jdbc:h2:mem:x;MODE",
            "jdbc:h2:mem:x\\;INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:h2:tcp://127.0.0.1:9092/mem:x;INIT=RUNSCRIPT FROM '/etc/passwd'",
            // files outside the apps folder, the application's own database, file-system prefixes
            "jdbc:h2:file:/srv/flowretry/data/flowretry",
            "jdbc:h2:/srv/flowretry/data/flowretry",
            "jdbc:h2:file:/srv/flowretry/data/apps/../flowretry",
            "jdbc:h2:file:/srv/flowretry/data/apps/../jbatch",
            "jdbc:h2:file:/srv/flowretry/data/apps",
            "jdbc:h2:file:/etc/passwd",
            "jdbc:h2:~/crm",
            "jdbc:h2:file:~/crm",
            "jdbc:h2:crm",
            "jdbc:h2:nio:/srv/flowretry/data/apps/crm",
            "jdbc:h2:split:/srv/flowretry/data/apps/crm",
            "jdbc:h2:zip:/srv/flowretry/data/apps/crm.zip!/crm",
            "jdbc:h2:file:/srv/flowretry/data/apps/crm%2F..%2F..%2Fflowretry",
            "jdbc:h2:file:C:\\srv\\crm",
            "jdbc:h2:.",
            "jdbc:h2:tcp:",
            // case of the scheme: the drivers compare it exactly
            "JDBC:H2:mem:x",
            "jdbc:H2:mem:x;INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:PostgreSQL://127.0.0.1/crm",
            // pgjdbc: classes and files named in parameters, also URL-encoded
            "jdbc:postgresql://127.0.0.1/crm?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext&socketFactoryArg=http://127.0.0.1/x.xml",
            "jdbc:postgresql://127.0.0.1/crm?sslfactory=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?sslhostnameverifier=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?loggerLevel=TRACE&loggerFile=/tmp/pg.log",
            "jdbc:postgresql://127.0.0.1/crm?authenticationPluginClassName=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?sslkey=/etc/shadow",
            "jdbc:postgresql://127.0.0.1/crm?sslrootcert=/etc/passwd",
            "jdbc:postgresql://127.0.0.1/crm?sslpasswordcallback=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?options=-c%20log_directory=/tmp",
            "jdbc:postgresql://127.0.0.1/crm?service=evil",
            "jdbc:postgresql://127.0.0.1/crm?%73ocketFactory=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?SocketFactory=org.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?ssl=true&sslmode=require%26sslfactory%3Dorg.example.Evil",
            "jdbc:postgresql://127.0.0.1/crm?ApplicationName=%ZZ",
            "jdbc:postgresql://127.0.0.1/crm/extra",
            "jdbc:postgresql://evil host/crm",
            // drivers the product does not support
            "jdbc:mysql://127.0.0.1/crm",
            "jdbc:derby:/tmp/crm;create=true",
            "jdbc:sqlite:/etc/passwd",
            "postgres://127.0.0.1/crm",
            ""})
    void refuses(String url) {
        assertTrue(URLS.refusal(url).isPresent(), url + " must be refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:h2:tcp://127.0.0.1:9092/mem:crm;DB_CLOSE_DELAY=-1",
            "jdbc:h2:tcp://127.0.0.1/crm",
            "jdbc:h2:tcp://localhost:9092/~/crm;MODE=PostgreSQL;IFEXISTS=TRUE",
            "jdbc:h2:ssl://db1.example.com:9093,db2.example.com/./crm",
            "jdbc:h2:mem:crm",
            "jdbc:h2:mem:crm;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;",
            "jdbc:h2:file:/srv/flowretry/data/apps/demo-crm",
            "jdbc:h2:/srv/flowretry/data/apps/sub/crm;IFEXISTS=TRUE;USER=sa;PASSWORD=p@ss w0rd!",
            "jdbc:postgresql://127.0.0.1:5432/crm",
            "jdbc:postgresql://127.0.0.1:5432,[::1]:5433/crm?targetServerType=primary&loadBalanceHosts=true",
            "jdbc:postgresql:crm",
            "jdbc:postgresql://db.example.com/crm?user=app&password=a%26b%3Dc&sslmode=verify-full&ApplicationName=Flow%20Retry",
            "jdbc:postgresql://db.example.com/crm?currentSchema=sales&connectTimeout=3&"})
    void allows(String url) {
        assertEquals(java.util.Optional.empty(), URLS.refusal(url), url);
    }

    @Test
    void an_explanation_names_the_setting_and_what_is_allowed() {
        var why = URLS.refusal("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '/etc/passwd'").orElseThrow();
        assertTrue(why.contains("INIT") && why.contains("DB_CLOSE_DELAY"), why);
        assertFalse(why.contains("/etc/passwd"), "the refusal does not echo the value: " + why);
        assertTrue(URLS.refusal("jdbc:h2:file:/srv/flowretry/data/flowretry").orElseThrow().contains("/srv/flowretry/data/apps"));
    }

    @Test
    void the_applications_own_database_is_refused_even_when_it_lies_under_apps() {
        var urls = new JdbcUrls(Path.of("/srv/data/apps"), "jdbc:h2:file:/srv/data/apps/flowretry;DB_CLOSE_DELAY=-1");
        assertTrue(urls.refusal("jdbc:h2:file:/srv/data/apps/flowretry").isPresent());
        assertTrue(urls.refusal("jdbc:h2:/srv/data/apps/./flowretry").isPresent());
        assertEquals(java.util.Optional.empty(), urls.refusal("jdbc:h2:/srv/data/apps/crm"));
    }

    /** The pool checks again on open: a URL stored before these rules runs nothing. */
    @Test
    void the_pool_refuses_to_open_a_url_that_would_write_a_file(@TempDir Path dir) throws Exception {
        var marker = dir.resolve("marker.csv");
        var attack = "jdbc:h2:mem:pool_attack;INIT=CALL CSVWRITE('" + marker + "', 'SELECT 1')";
        // the attack is real: opened unchecked, H2 writes the file
        try (var ignored = DriverManager.getConnection(attack.replace("pool_attack", "pool_attack_unchecked"), "sa", "")) {
            assertTrue(Files.exists(marker), "H2 ran INIT");
        }
        Files.delete(marker);

        var pool = new JdbcPool(new JdbcUrls(dir.resolve("apps"), null));
        var refused = assertThrows(SQLException.class, () -> pool.borrow(ConnectionDetails.jdbc("CRM", attack, "sa", "")));
        assertTrue(refused.getMessage().contains("jdbcUrl") && refused.getMessage().contains("CRM"), refused.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");
    }
}
