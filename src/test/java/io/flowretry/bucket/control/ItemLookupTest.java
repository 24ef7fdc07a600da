package io.flowretry.bucket.control;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunk's item lookup joins a VALUES list, so H2 uses the (deployment_id, source_id) index for
 * every id; on PostgreSQL (127.0.0.1:5432, database {@code test}, as the suite needs anyway) it is a
 * probe of that index per id even on a table never analyzed, as a main run's bucket is while it fills.
 */
class ItemLookupTest {

    @Test
    void the_values_join_finds_the_deployments_items_through_the_unique_index() throws Exception {
        String sql = BucketStore.itemLookup(3, false);
        assertTrue(sql.endsWith(" from (values (?), (?), (?)) as v(sid) join bucket_items b on b.source_id = v.sid"
                + " where b.deployment_id = ?"), sql);
        try (var c = DriverManager.getConnection("jdbc:h2:mem:item_lookup_test", "sa", ""); var st = c.createStatement()) {
            st.execute("create table bucket_items (id bigint primary key, deployment_id bigint, source_id varchar(200),"
                    + " node_name varchar(100), tries int, auto_tries int, created_at timestamp with time zone, lock_version bigint,"
                    + " status varchar(10), constraint ux_bucket_items_source unique (deployment_id, source_id))");
            st.execute("insert into bucket_items select x, mod(x, 2), cast(x as varchar), 'CRM', 0, 0, current_timestamp, 1, 'FAILED'"
                    + " from system_range(1, 20000)");
            try (var ps = c.prepareStatement(sql)) {
                ps.setString(1, "10");
                ps.setString(2, "11");
                ps.setString(3, "no-such-id");
                ps.setLong(4, 0);
                List<Long> ids = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                assertEquals(List.of(10L), ids, "11 belongs to deployment 1");
            }
            try (var rs = st.executeQuery("explain " + sql.replace("(?)", "('1')").replace("deployment_id = ?", "deployment_id = 0"))) {
                rs.next();
                var plan = rs.getString(1);
                assertTrue(plan.contains("DEPLOYMENT_ID = CAST(0 AS BIGINT)") && plan.contains("AND SOURCE_ID = V.SID"), plan);
            }
        }
    }

    @Test
    void on_postgresql_the_lookup_probes_the_unique_index_per_id_though_the_table_has_no_statistics() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""); var st = c.createStatement()) {
            c.setAutoCommit(false);
            // a temporary table: autovacuum never analyzes one, so the planner knows its size but not its deployments
            st.execute("create temp table bucket_items (id bigint primary key, deployment_id bigint, source_id varchar(200),"
                    + " node_name varchar(100), tries int, auto_tries int, created_at timestamp with time zone, lock_version bigint,"
                    + " status varchar(10), constraint ux_bucket_items_source unique (deployment_id, source_id)) on commit drop");
            var ids = new ArrayList<String>();
            for (int i = 20_001; i <= 20_100; i++) {
                ids.add(String.valueOf(i));
            }
            assertTrue(BucketStore.load(c, 7, ids).isEmpty()); // a main run's first chunk: an empty bucket
            // the same statement prepared as the driver does it, run as often as the driver runs it before it
            // keeps a generic plan, on the empty table; then the table fills (load's set local still holds)
            var sql = BucketStore.itemLookup(ids.size(), true);
            var inlined = sql;
            var numbered = sql;
            for (int i = 0; i < ids.size(); i++) {
                inlined = inlined.replaceFirst("\\(\\?\\)", "('" + ids.get(i) + "')");
                numbered = numbered.replaceFirst("\\(\\?\\)", "(\\$" + (i + 1) + "::varchar)");
            }
            st.execute("prepare lookup as " + numbered.replace("deployment_id = ?", "deployment_id = $" + (ids.size() + 1) + "::bigint"));
            var execute = "execute lookup(" + String.join(", ", ids.stream().map(id -> "'" + id + "'").toList()) + ", 7)";
            for (int run = 0; run < 6; run++) {
                st.execute(execute);
            }
            st.execute("insert into bucket_items select x, 7, x::text, 'CRM', 0, 0, now(), 1, 'FAILED' from generate_series(1, 50000) x");
            assertProbes(st, "explain " + execute);
            assertProbes(st, "explain " + inlined.replace("deployment_id = ?", "deployment_id = 7"));
            st.execute("deallocate lookup");
            var items = BucketStore.load(c, 7, ids);
            assertEquals(100, items.size());
            assertEquals(20_001L, items.get("20001").getId());
            c.rollback();
        }
    }

    /** One probe of the unique index per id: a nested loop whose inner side looks up both of its columns. */
    private static void assertProbes(java.sql.Statement st, String explain) throws java.sql.SQLException {
        var plan = new StringBuilder();
        try (var rs = st.executeQuery(explain)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        var text = plan.toString();
        assertTrue(text.startsWith("Nested Loop") && text.contains("Index Scan using ux_bucket_items_source")
                && text.lines().anyMatch(l -> l.contains("Index Cond: ((deployment_id = ") && l.contains("AND ((source_id)::text = "))
                && !text.contains("Bitmap") && !text.contains("Hash"), text);
    }
}
