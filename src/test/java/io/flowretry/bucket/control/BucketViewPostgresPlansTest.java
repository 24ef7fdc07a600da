package io.flowretry.bucket.control;

import io.flowretry.bucket.control.BucketQueries.Sql;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketSort;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.platform.control.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static io.flowretry.bucket.control.BucketViewPlansTest.DEPLOYMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bucket view's statements on PostgreSQL (127.0.0.1:5432, database {@code test}, as the suite needs
 * anyway; the real schema in a schema of this test's own), first on a bucket never analyzed, as one is
 * right after a main run fills it, then analyzed: every page and every count, as the planner's custom
 * plan and as the generic plan the driver's prepared statement ends up with, reads an index in its
 * order and about as many rows as it returns. Without statistics the planner costs several indexes
 * alike; a count without an ORDER BY got the generic plan on {@code (deployment_id, status, tries,
 * source_id)} and read every FAILED item to count a Source ID prefix's (30-37 ms at 1,000,000 items
 * against 5 ms, docs/benchmarks.md).
 */
class BucketViewPostgresPlansTest {

    private static final String SCHEMA = "bucket_view_plans_" + ProcessHandle.current().pid();
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA;
    private static final Pattern SCAN = Pattern.compile("Scan(?: Backward)? using (\\w+) on bucket_items .*\\(actual rows=(\\d+) ");
    private static final Pattern DROPPED = Pattern.compile("Rows Removed by Filter: (\\d+)");
    private static Connection connection;

    @BeforeAll
    static void fill() throws SQLException {
        Migrations.configuration(BucketViewPostgresPlansTest.class.getClassLoader(), true)
                .dataSource(URL, "postgres", "").schemas(SCHEMA).load().migrate();
        connection = DriverManager.getConnection(URL, "postgres", "");
        try (var s = connection.createStatement()) {
            s.execute("alter table bucket_items set (autovacuum_enabled = false)"); // never analyzed, whatever the server's settings
            s.execute("set session_replication_role = replica"); // items without their deployment rows: only the plans matter
            BucketViewPlansTest.insertItems(connection);
            s.execute("set session_replication_role = origin");
            for (var setting : BucketQueries.READ_IN_ORDER) { // what each read of the view sets
                s.execute("set " + setting);
            }
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("drop schema " + SCHEMA + " cascade");
        }
        connection.close();
    }

    @Test
    void every_page_and_count_reads_about_as_many_rows_as_it_returns_before_and_after_the_bucket_is_analyzed() throws SQLException {
        var read = new TreeSet<String>();
        checkEveryStatement("never analyzed", read);
        try (var s = connection.createStatement()) {
            s.execute("analyze bucket_items");
        }
        checkEveryStatement("analyzed", read);
        assertTrue(read.containsAll(List.of("ux_bucket_items_source", "ix_bucket_items_status", "ix_bucket_items_queue_view",
                "ix_bucket_items_error_view", "ix_bucket_items_status_time", "ix_bucket_items_status_tries")), read::toString);
    }

    /** Each page and count of every filter and cursor, as a custom and as a generic plan; the indexes read go to {@code read}. */
    private static void checkEveryStatement(String statistics, Set<String> read) throws SQLException {
        for (var mode : List.of("force_custom_plan", "force_generic_plan")) {
            try (var s = connection.createStatement()) {
                s.execute("set plan_cache_mode = " + mode);
            }
            for (var filter : BucketViewPlansTest.filters()) {
                for (var after : BucketViewPlansTest.cursors(filter)) {
                    read.addAll(assertReads(BucketQueries.pageSql(DEPLOYMENT, filter, after, 51, true), filter, filter.order(),
                            statistics + ", " + mode + ": page of " + filter + " after " + after));
                }
                read.addAll(assertReads(BucketQueries.countSql(DEPLOYMENT, filter, BucketTotal.COUNT_LIMIT, true), filter,
                        BucketSort.SOURCE_ID, statistics + ", " + mode + ": count of " + filter));
            }
        }
    }

    @Test
    void every_count_is_exact_up_to_the_limit_and_one_past_it_beyond() throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("set plan_cache_mode = force_generic_plan");
        }
        for (var filter : BucketViewPlansTest.filters()) {
            long all = count(BucketQueries.countSql(DEPLOYMENT, filter, BucketViewPlansTest.ITEMS * 2, true));
            assertEquals(Math.min(all, BucketTotal.COUNT_LIMIT + 1), count(BucketQueries.countSql(DEPLOYMENT, filter, BucketTotal.COUNT_LIMIT, true)),
                    filter::toString);
        }
        try (var s = connection.createStatement(); var r = s.executeQuery(
                "select count(*) from bucket_items where deployment_id = 1 and status = 'FAILED' and source_id like 'C00123%'")) {
            r.next();
            assertEquals(r.getLong(1), count(BucketQueries.countSql(DEPLOYMENT,
                    new BucketFilter("C00123", BucketStatus.FAILED), BucketTotal.COUNT_LIMIT, true)));
        }
    }

    /** The index whose leading columns are the statement's ORDER BY (BucketQueries#pageSql). */
    private static String index(BucketFilter filter, BucketSort order) {
        return switch (order) {
            case SOURCE_ID -> filter.status() != null ? "ix_bucket_items_status"
                    : filter.queueState() != null ? "ix_bucket_items_queue_view"
                    : filter.errorClass() != null ? "ix_bucket_items_error_view"
                    : "ux_bucket_items_source";
            case STATUS -> "ix_bucket_items_status";
            case TIMESTAMP -> "ix_bucket_items_status_time";
            case TRIES -> "ix_bucket_items_status_tries";
        };
    }

    /**
     * Explains the statement's execution, prepared as the driver prepares it, and checks what it reads:
     * the index of its order (or, for a filter without a Source ID prefix, the unique index, which the
     * planner may rightly take for a common value), in order (no sort, no bitmap, no table scan), with
     * few rows read and dropped: a rare status read on the unique index drops thousands.
     *
     * @return the indexes read
     */
    private static List<String> assertReads(Sql sql, BucketFilter filter, BucketSort order, String what) throws SQLException {
        var plan = explain(sql);
        var indexes = new ArrayList<String>();
        long returned = 0;
        var m = SCAN.matcher(plan);
        while (m.find()) {
            indexes.add(m.group(1));
            returned += Long.parseLong(m.group(2));
        }
        long dropped = DROPPED.matcher(plan).results().mapToLong(r -> Long.parseLong(r.group(1))).sum();
        var allowed = new HashSet<>(Set.of(index(filter, order)));
        if (filter.prefix() == null) {
            allowed.add("ux_bucket_items_source");
        }
        assertFalse(indexes.isEmpty(), () -> what + " reads no index:\n" + plan);
        assertTrue(allowed.containsAll(indexes), () -> what + " should read " + index(filter, order) + ":\n" + plan);
        assertFalse(plan.contains("Sort") || plan.contains("Seq Scan") || plan.contains("Bitmap"), () -> what + ":\n" + plan);
        long bound = 60 + returned / 2; // a common value on the unique index drops its few others; a rare one drops thousands
        assertTrue(dropped <= bound, () -> what + " read " + dropped + " rows it did not return:\n" + plan);
        return indexes;
    }

    private static String explain(Sql sql) throws SQLException {
        try (var s = connection.createStatement()) {
            var plan = new StringBuilder();
            try (var r = s.executeQuery("explain (analyze, timing off) " + prepare(s, sql))) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private static long count(Sql sql) throws SQLException {
        try (var s = connection.createStatement()) {
            try (var r = s.executeQuery(prepare(s, sql))) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Prepares the statement with {@code $n} parameters, as the driver does, and returns the EXECUTE of it with its values. */
    private static String prepare(java.sql.Statement s, Sql sql) throws SQLException {
        s.execute("deallocate all");
        s.execute("prepare view_statement as " + sql.text().replaceAll("\\?(\\d+)", "\\$$1"));
        return "execute view_statement(" + literals(sql) + ")";
    }

    private static String literals(Sql sql) {
        var values = new ArrayList<String>();
        for (var p : sql.parameters()) {
            values.add(switch (p) {
                case Number n -> n.toString();
                case OffsetDateTime t -> "'" + t + "'::timestamptz";
                default -> "'" + p.toString().replace("'", "''") + "'";
            });
        }
        return String.join(", ", values);
    }
}
