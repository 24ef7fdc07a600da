package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC source and destination against a real (in-memory) H2 database. */
class JdbcConnectorsTest {

    private static final String URL = "jdbc:h2:mem:jdbc_connectors_test;DB_CLOSE_DELAY=-1";
    private static final ConnectionDetails APP = ConnectionDetails.jdbc("CRM", URL, "sa", "");
    private static Connection keepAlive;
    private final JdbcPool pool = new JdbcPool(new JdbcUrls(java.nio.file.Path.of("target/apps"), null));

    @BeforeAll
    static void tables() throws SQLException {
        keepAlive = DriverManager.getConnection(URL, "sa", "");
        try (var st = keepAlive.createStatement()) {
            st.execute("create table contacts (id int primary key, email varchar(100), full_name varchar(100))");
            st.execute("insert into contacts select x, 'c' || x || '@example.com', 'Contact ' || x from system_range(1, 1200)");
            st.execute("create table customers (source_id varchar(20) primary key, email varchar(100) not null, name varchar(10))");
            st.execute("create table accounts (source_id bigint primary key, email varchar(100))");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        keepAlive.close();
    }

    private JdbcSource source() {
        return new JdbcSource(APP, new SourceSpec("CRM", "contacts", "id", null, null, null, null), pool);
    }

    private JdbcDestination destination(String table) {
        return new JdbcDestination(APP, new DestinationSpec("CRM", table, "source_id", null, null), pool);
    }

    @Test
    void streams_every_row_in_numeric_id_order_after_the_checkpoint() throws Exception {
        List<String> ids = new ArrayList<>();
        try (var cursor = source().readAll(null)) {
            cursor.forEachRemaining(r -> ids.add(r.id()));
        }
        assertEquals(1200, ids.size());
        assertEquals("1", ids.get(0));
        assertEquals("10", ids.get(9));
        assertEquals("1200", ids.get(1199));
        try (var cursor = source().readAll("1000")) {
            var first = cursor.next();
            assertEquals("1001", first.id());
            assertEquals("c1001@example.com", first.fields().get("email"));
            assertEquals("Contact 1001", first.fields().get("full_name"));
        }
    }

    @Test
    void reads_one_by_id_and_reports_a_missing_one_as_empty() throws Exception {
        assertEquals("c5@example.com", source().read("5").orElseThrow().get("email"));
        assertTrue(source().read("99999").isEmpty());
        assertTrue(source().read("not-a-number").isEmpty());
    }

    @Test
    void upsert_twice_leaves_one_row_with_the_latest_values() throws Exception {
        var dest = destination("customers");
        dest.upsert("7", record("email", "a@x", "name", "First"));
        dest.upsert("7", record("email", "b@x", "name", "Second"));
        try (var st = keepAlive.createStatement(); var rs = st.executeQuery("select count(*), max(email) from customers where source_id = '7'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals("b@x", rs.getString(2));
        }
    }

    @Test
    void a_numeric_key_column_takes_the_text_id() throws Exception {
        destination("accounts").upsert("42", record("email", "n@x"));
        try (var st = keepAlive.createStatement(); var rs = st.executeQuery("select email from accounts where source_id = 42")) {
            assertTrue(rs.next());
            assertEquals("n@x", rs.getString(1));
        }
    }

    @Test
    void rejected_rows_are_data_errors_naming_the_table() {
        var nullEmail = assertThrows(ConnectorException.class, () -> destination("customers").upsert("8", record("email", null, "name", "x")));
        assertEquals(ErrorClass.DATA, nullEmail.errorClass());
        assertTrue(nullEmail.getMessage().startsWith("CRM customers: writing source_id 8: "), nullEmail.getMessage());
        assertTrue(nullEmail.getMessage().contains("EMAIL"), nullEmail.getMessage());

        var tooLong = assertThrows(ConnectorException.class, () -> destination("customers").upsert("9", record("email", "e@x", "name", "x".repeat(30))));
        assertEquals(ErrorClass.DATA, tooLong.errorClass());

        var unknownColumn = assertThrows(ConnectorException.class, () -> destination("customers").upsert("9", record("email", "e@x", "colour", "red")));
        assertEquals(ErrorClass.DATA, unknownColumn.errorClass());

        var badName = assertThrows(ConnectorException.class, () -> destination("customers").upsert("9", record("email;drop", "e@x")));
        assertEquals(ErrorClass.DATA, badName.errorClass());
        assertTrue(badName.getMessage().contains("invalid column name"), badName.getMessage());
    }

    @Test
    void reads_many_ids_with_in_lists_keyed_as_given_and_leaves_missing_ones_out() throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 1; i <= 1100; i++) {
            ids.add(String.valueOf(i));
        }
        ids.addAll(List.of("99999", "not-a-number", " 7"));
        var found = source().readMany(ids);
        assertEquals(1101, found.size());
        assertEquals("c1@example.com", found.get("1").get("email"));
        assertEquals("Contact 1100", found.get("1100").get("full_name"));
        assertEquals("c7@example.com", found.get(" 7").get("email"), "the same id as read(\" 7\") finds");
        assertFalse(found.containsKey("99999"));
        assertFalse(found.containsKey("not-a-number"));
    }

    @Test
    void upsert_all_writes_a_chunk_as_one_batch_and_twice_leaves_one_row_each() throws Exception {
        var dest = destination("customers");
        var writes = List.of(write("b1", "a@x", "One"), write("b2", "b@x", "Two"), write("b3", "c@x", "Three"));
        assertEquals(Arrays.asList(null, null, null), dest.upsertAll(writes));
        assertEquals(Arrays.asList(null, null, null), dest.upsertAll(List.of(write("b1", "z@x", "One"), writes.get(1), writes.get(2))));
        try (var st = keepAlive.createStatement(); var rs = st.executeQuery("select count(*), min(email) from customers where source_id like 'b_'")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
            assertEquals("b@x", rs.getString(2));
        }
    }

    @Test
    void a_rejected_row_fails_alone_and_its_neighbours_are_written() throws Exception {
        var dest = destination("customers");
        var failures = dest.upsertAll(List.of(write("r1", "a@x", "Fine"), write("r2", null, "No mail"), write("r3", "c@x", "Fine too")));
        assertNull(failures.get(0));
        assertEquals(ErrorClass.DATA, failures.get(1).errorClass());
        assertTrue(failures.get(1).getMessage().startsWith("CRM customers: writing source_id r2: "), failures.get(1).getMessage());
        assertNull(failures.get(2));
        try (var st = keepAlive.createStatement(); var rs = st.executeQuery("select source_id from customers where source_id like 'r_' order by 1")) {
            assertTrue(rs.next());
            assertEquals("r1", rs.getString(1));
            assertTrue(rs.next());
            assertEquals("r3", rs.getString(1));
            assertFalse(rs.next());
        }
        // the connection went back to auto-commit: a later single upsert is committed by itself
        dest.upsert("r4", record("email", "d@x", "name", "Later"));
        try (var st = keepAlive.createStatement(); var rs = st.executeQuery("select count(*) from customers where source_id = 'r4'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static DestinationConnector.Write write(String id, String email, String name) {
        return new DestinationConnector.Write(id, record("email", email, "name", name), null);
    }

    @Test
    void an_unreachable_database_is_transient() {
        var down = ConnectionDetails.jdbc("ERP", "jdbc:h2:tcp://127.0.0.1:1/nothing", "sa", "");
        var dest = new JdbcDestination(down, new DestinationSpec("ERP", "customers", "source_id", null, null), pool);
        var e = assertThrows(ConnectorException.class, () -> dest.upsert("1", record("email", "e@x")));
        assertEquals(ErrorClass.TRANSIENT, e.errorClass());
        assertTrue(e.getMessage().startsWith("ERP: cannot connect"), e.getMessage());
    }

    private static Map<String, Object> record(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
