package io.flowretry.bucket.control;

import io.flowretry.bucket.control.BucketQueries.Cursor;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketSort;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.bucket.control.BucketQueries.Sql;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.platform.control.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statement the bucket view sends ({@link BucketQueries#pageSql}, {@link BucketQueries#countSql}:
 * the strings themselves, not copies), for every filter and order it offers, on the real schema
 * (every migration) in H2, with 30,000 items in the deployment looked at and 5,000 in another:
 * each reads about as many rows as it returns. {@code EXPLAIN ANALYZE} counts the rows H2 read ({@code scanCount}); a plan on the wrong
 * index, a sort of every match, or a count of every match reads thousands. At this size a wrong plan
 * shows; at 1,000,000 it costs seconds (docs/benchmarks.md, bench/BucketViewBench.java).
 */
class BucketViewPlansTest {

    private static final String URL = "jdbc:h2:mem:bucket_view_plans_test;DB_CLOSE_DELAY=-1";
    static final int ITEMS = 30_000;
    static final long DEPLOYMENT = 1;
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");
    private static Connection connection;

    @BeforeAll
    static void fill() throws SQLException {
        Migrations.configuration(BucketViewPlansTest.class.getClassLoader(), false).dataSource(URL, "sa", "").load().migrate();
        connection = DriverManager.getConnection(URL, "sa", "");
        try (var s = connection.createStatement()) {
            s.execute("set referential_integrity false"); // items without their deployment rows: only the plans matter
        }
        insertItems(connection);
        try (var s = connection.createStatement()) {
            s.execute("analyze");
        }
    }

    /** {@value #ITEMS} items of {@link #DEPLOYMENT} and 5,000 of another; ids C0000000.., every 30th SUCCESS, a chunk's items share their time stamp. */
    static void insertItems(Connection c) throws SQLException {
        try (var insert = c.prepareStatement("""
                insert into bucket_items (id, deployment_id, source_id, node_name, status, queue_state, tries, auto_tries,
                 last_attempt_at, next_attempt_at, error_class, last_error, created_at, lock_version)
                 values (?, ?, ?, 'CRM', ?, ?, ?, ?, ?, ?, ?, 'email: does not match', ?, 0)""")) {
            for (int i = 0; i < ITEMS + 5_000; i++) {
                boolean ours = i < ITEMS;
                boolean success = i % 30 == 0;
                var at = Timestamp.from(START.plusSeconds(i / 1000)); // a chunk's items share their time stamp
                insert.setLong(1, i + 1);
                insert.setLong(2, ours ? DEPLOYMENT : 2);
                insert.setString(3, "C%07d".formatted(i));
                insert.setString(4, success ? "SUCCESS" : "FAILED");
                insert.setString(5, success ? "RESOLVED" : i % 7 == 0 ? "EXHAUSTED" : "QUEUED");
                insert.setInt(6, i % 5);
                insert.setInt(7, i % 5);
                insert.setTimestamp(8, at);
                insert.setTimestamp(9, at);
                insert.setString(10, success ? null : i % 11 == 0 ? "TRANSIENT" : "DATA");
                insert.setTimestamp(11, at);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    /**
     * Every filter and order the view offers (every combination {@link BucketFilter#invalid()} lets
     * through): none, a status (common, rare), a queue state, an error class (common, rare), a
     * prefix (narrow, matching nothing), with each order.
     */
    static List<BucketFilter> filters() {
        var filters = new ArrayList<BucketFilter>();
        var equalities = new ArrayList<BucketFilter>();
        for (var status : new BucketStatus[]{null, BucketStatus.FAILED, BucketStatus.SUCCESS, BucketStatus.DISCARDED}) {
            equalities.add(new BucketFilter(null, status, null, null, null));
        }
        for (var state : QueueState.values()) {
            equalities.add(new BucketFilter(null, null, state, null, null));
        }
        for (var error : ErrorClass.values()) {
            equalities.add(new BucketFilter(null, null, null, error, null));
        }
        for (var e : equalities) {
            for (var prefix : new String[]{null, "C00123", "X"}) {
                for (var sort : BucketSort.values()) {
                    var f = new BucketFilter(prefix, e.status(), e.queueState(), e.errorClass(), sort);
                    if (f.invalid().isEmpty()) {
                        filters.add(f);
                    }
                }
            }
        }
        return filters;
    }

    /** The first page, one mid-bucket, one near the end; in a sorted order also "past a key" (the second range). */
    static List<Cursor> cursors(BucketFilter filter) {
        var cursors = new ArrayList<Cursor>();
        cursors.add(null);
        var sort = filter.order();
        for (int i : new int[]{15_000, 29_990}) {
            String key = switch (sort) {
                case SOURCE_ID -> null;
                case STATUS -> "FAILED";
                case TIMESTAMP -> START.plusSeconds(i / 1000).atOffset(java.time.ZoneOffset.UTC).toString();
                case TRIES -> String.valueOf(i % 5);
            };
            cursors.add(new Cursor(sort, key, "C%07d".formatted(i)));
            if (key != null) {
                cursors.add(new Cursor(sort, key, null));
            }
        }
        return cursors;
    }

    @Test
    void every_page_reads_about_as_many_rows_as_it_shows() throws SQLException {
        assertTrue(filters().size() >= 39, "every combination: " + filters().size());
        for (var filter : filters()) {
            for (var after : cursors(filter)) {
                var sql = BucketQueries.pageSql(DEPLOYMENT, filter, after, 51, false);
                var plan = explain(sql);
                assertTrue(plan.contains("/* index sorted */"), () -> "H2 sorts all matches instead of reading an index in order:\n" + plan);
                assertTrue(scanned(plan) <= 52 + 2, () -> filter + " after " + after + " read " + scanned(plan) + " rows:\n" + plan);
            }
        }
    }

    @Test
    void no_index_serves_a_sort_with_a_prefix_or_a_queue_state_so_the_view_refuses_them() {
        assertEquals("sort", new BucketFilter("C", null, null, null, BucketSort.TRIES).invalid().orElseThrow().field());
        assertEquals("sort", new BucketFilter(null, null, QueueState.QUEUED, null, BucketSort.TIMESTAMP).invalid().orElseThrow().field());
        assertEquals("errorClass", new BucketFilter(null, null, QueueState.QUEUED, ErrorClass.DATA, null).invalid().orElseThrow().field());
        assertEquals("status", new BucketFilter(null, BucketStatus.FAILED, QueueState.QUEUED, null, null).invalid().orElseThrow().field());
        assertTrue(new BucketFilter(null, BucketStatus.FAILED, null, null, BucketSort.TRIES).invalid().isEmpty());
        assertEquals("sort", new BucketFilter(null, null, null, null, BucketSort.TRIES).invalid().orElseThrow().field(), "V92: within a status only");
        assertEquals("sort", new BucketFilter(null, null, null, null, BucketSort.TIMESTAMP).invalid().orElseThrow().field(), "V92: within a status only");
        assertTrue(new BucketFilter(null, null, null, null, BucketSort.STATUS).invalid().isEmpty());
    }

    @Test
    void every_count_stops_at_the_limit() throws SQLException {
        for (var filter : filters()) {
            var sql = BucketQueries.countSql(DEPLOYMENT, filter, BucketTotal.COUNT_LIMIT, false);
            var plan = explain(sql);
            long matches = count(BucketQueries.countSql(DEPLOYMENT, filter, ITEMS * 2, false));
            long read = scanned(plan);
            assertTrue(read <= Math.min(matches, BucketTotal.COUNT_LIMIT) + 2,
                    () -> filter + " matches " + matches + " but the count read " + read + " rows:\n" + plan);
        }
    }

    @Test
    void the_bounded_count_is_exact_below_the_limit_and_says_more_above_it() throws SQLException {
        assertEquals(new BucketTotal(BucketTotal.COUNT_LIMIT, false),
                BucketTotal.of(count(BucketQueries.countSql(DEPLOYMENT, new BucketFilter(null, null), BucketTotal.COUNT_LIMIT, false)),
                        BucketTotal.COUNT_LIMIT));
        assertEquals(new BucketTotal(1_000, true),
                BucketTotal.of(count(BucketQueries.countSql(DEPLOYMENT, new BucketFilter(null, BucketStatus.SUCCESS), BucketTotal.COUNT_LIMIT, false)),
                        BucketTotal.COUNT_LIMIT));
        assertEquals(100, count(BucketQueries.countSql(DEPLOYMENT, new BucketFilter("C00123", null), BucketTotal.COUNT_LIMIT, false)));
    }

    private static String explain(Sql sql) throws SQLException {
        try (var explain = connection.prepareStatement("explain analyze " + sql.text())) {
            bind(explain, sql);
            try (var plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        }
    }

    private static long count(Sql sql) throws SQLException {
        try (var query = connection.prepareStatement(sql.text())) {
            bind(query, sql);
            try (var r = query.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void bind(java.sql.PreparedStatement statement, Sql sql) throws SQLException {
        for (int i = 0; i < sql.parameters().size(); i++) {
            statement.setObject(i + 1, sql.parameters().get(i));
        }
    }

    /** The rows H2 read for the statement: the largest scan count (a count's outer query counts the inner one's rows again). */
    private static long scanned(String plan) {
        var m = SCAN_COUNT.matcher(plan);
        long most = 0;
        while (m.find()) {
            most = Math.max(most, Long.parseLong(m.group(1)));
        }
        return most;
    }
}
