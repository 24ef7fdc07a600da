package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JDBC app whose table another session holds locked (PostgreSQL on 127.0.0.1:5432, database
 * {@code test}, as the suite needs anyway): every call, the first one's metadata query included,
 * gives up after the statement time-out with a TRANSIENT failure instead of waiting for the lock.
 */
class LockedTableTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final int TIMEOUT_SECONDS = 2;
    private final String table = "locked_" + ProcessHandle.current().pid() + "_" + (System.nanoTime() % 100_000);
    private final ConnectionDetails app = ConnectionDetails.jdbc("LOCKED", URL, "postgres", "");
    private final JdbcPool pool = new JdbcPool(new JdbcUrls(java.nio.file.Path.of("target/apps"), null), TIMEOUT_SECONDS);
    private Connection locker;

    @BeforeEach
    void lockedTable() throws SQLException {
        try (var c = DriverManager.getConnection(URL, "postgres", ""); var st = c.createStatement()) {
            st.execute("create table " + table + " (id varchar(20) primary key, source_id varchar(20) unique, email varchar(100))");
            st.execute("insert into " + table + " values ('1', '1', 'a@example.com')");
        }
        locker = DriverManager.getConnection(URL, "postgres", "");
        locker.setAutoCommit(false);
        try (var st = locker.createStatement()) {
            st.execute("lock table " + table + " in access exclusive mode");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        locker.rollback();
        locker.close();
        pool.closeAll();
        try (var c = DriverManager.getConnection(URL, "postgres", ""); var st = c.createStatement()) {
            st.execute("drop table if exists " + table);
        }
    }

    @Test
    void the_destinations_first_write_and_its_metadata_query_time_out() {
        var destination = new JdbcDestination(app, new DestinationSpec("LOCKED", table, "source_id", null, null), pool);
        long started = System.nanoTime();
        var failure = assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS * 5L),
                () -> assertThrows(ConnectorException.class, () -> destination.upsert("2", Map.of("email", "b@example.com"))));
        assertBounded(started, failure);
        destination.close();
    }

    @Test
    void a_chunk_to_a_locked_table_fails_every_record_transient_after_one_time_out_not_one_per_record() {
        var destination = new JdbcDestination(app, new DestinationSpec("LOCKED", table, "source_id", null, null), pool);
        var writes = java.util.stream.IntStream.rangeClosed(2, 6)
                .mapToObj(i -> new DestinationConnector.Write(String.valueOf(i), Map.<String, Object>of("email", i + "@example.com"), "key-" + i)).toList();
        long started = System.nanoTime();
        var failures = assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS * 5L), () -> destination.upsertAll(writes));
        assertEquals(writes.size(), failures.size());
        failures.forEach(failure -> assertBounded(started, failure));
        destination.close();
    }

    @Test
    void the_sources_read_by_id_and_its_metadata_query_time_out() {
        var source = new JdbcSource(app, new SourceSpec("LOCKED", table, "id", null, null, null, null), pool);
        long started = System.nanoTime();
        var failure = assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS * 5L),
                () -> assertThrows(ConnectorException.class, () -> source.read("1")));
        assertBounded(started, failure);
        source.close();
    }

    private static void assertBounded(long started, ConnectorException failure) {
        var took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(ErrorClass.TRANSIENT, failure.errorClass(), failure.getMessage());
        assertTrue(failure.getMessage().contains("57014"), "cancelled by the statement time-out: " + failure.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(TIMEOUT_SECONDS - 1)) >= 0 && took.compareTo(Duration.ofSeconds(TIMEOUT_SECONDS * 3L)) < 0,
                "gave up after about the time-out: " + took);
    }
}
