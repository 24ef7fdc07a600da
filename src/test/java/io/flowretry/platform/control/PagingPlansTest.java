package io.flowretry.platform.control;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's and the API's pages, on the real schema (every migration) in H2: each query, in
 * the shape EclipseLink sends it, reads an index in the page's order and stops after the page
 * ("index sorted" in H2's plan). H2 uses an index for the order only when the ORDER BY starts with
 * the index's columns, in the index's direction; otherwise it sorts every match for every page (a
 * run's 100,000 items each time its snapshot was looked at).
 */
class PagingPlansTest {

    private static final String URL = "jdbc:h2:mem:paging_plans_test;DB_CLOSE_DELAY=-1";
    private static Connection connection;

    @BeforeAll
    static void schema() throws SQLException {
        Migrations.configuration(PagingPlansTest.class.getClassLoader(), false).dataSource(URL, "sa", "").load().migrate();
        connection = DriverManager.getConnection(URL, "sa", "");
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // Snapshots.items (RunItem.PAGE)
            "select * from run_items where run_id = ? and id > ? order by run_id, id fetch first 50 rows only",
            // (the bucket view's statements: bucket.control.BucketViewPlansTest, on a filled table)
            // Snapshots.runs (RetryRun.BY_DEPLOYMENT), ExecutionRecords.list: newest first
            "select * from retry_runs where deployment_id = ? order by deployment_id desc, id desc fetch first 20 rows only",
            "select * from executions where deployment_id = ? order by deployment_id desc, id desc fetch first 20 rows only",
    })
    void the_page_is_read_in_index_order(String sql) throws SQLException {
        try (var explain = connection.prepareStatement("explain " + sql)) {
            int parameters = explain.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= parameters; i++) {
                explain.setObject(i, 1L);
            }
            try (var plan = explain.executeQuery()) {
                plan.next();
                String text = plan.getString(1);
                assertTrue(text.contains("/* index sorted */"), () -> "H2 sorts all matches instead of reading an index in order:\n" + text);
            }
        }
    }
}
