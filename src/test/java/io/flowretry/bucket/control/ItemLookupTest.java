package io.flowretry.bucket.control;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chunk's item lookup joins a VALUES list, so H2 uses the (deployment_id, source_id) index for every id. */
class ItemLookupTest {

    @Test
    void the_values_join_finds_the_deployments_items_through_the_unique_index() throws Exception {
        String sql = BucketStore.valuesJoin(3);
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
}
