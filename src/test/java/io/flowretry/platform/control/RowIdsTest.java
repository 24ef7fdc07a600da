package io.flowretry.platform.control;

import io.flowretry.platform.entity.Identified;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Migration 20 and {@link RowIds} on H2 (whose sequences behave differently from PostgreSQL's on ALTER). */
class RowIdsTest {

    private static Connection database(String name) throws SQLException {
        var c = DriverManager.getConnection("jdbc:h2:mem:" + name, "sa", "");
        try (var st = c.createStatement()) {
            st.execute("create sequence app_seq start with 50 increment by 50"); // as V1__schema.sql
        }
        return c;
    }

    private static long nextval(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("select nextval('app_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void blocks_after_the_migration_start_above_every_block_taken_before_it() throws Exception {
        try (var c = database("row_ids_used")) {
            long usedUpTo = 0;
            for (int i = 0; i < 3; i++) {
                usedUpTo = nextval(c); // blocks of 50 before V20: [1, 50], [51, 100], [101, 150]
            }
            V20__AppSeqBlocksOf1000.migrate(c);
            var ids = new RowIds();
            long first = ids.next(c);
            assertEquals(usedUpTo + 51, first, "the migration's own nextval reserved [151, 200]");
            long previous = first;
            for (int i = 1; i <= Identified.ALLOCATION; i++) { // through the end of the block and into the next
                long id = ids.next(c);
                assertEquals(previous + 1, id, "blocks follow each other without gaps or overlaps");
                previous = id;
            }
            assertEquals(first + 3L * Identified.ALLOCATION - 1, nextval(c),
                    "the third block's top comes next: two blocks were taken, with one nextval each");
        }
    }

    @Test
    void on_a_new_database_the_first_block_starts_above_zero() throws Exception {
        try (var c = database("row_ids_new")) {
            V20__AppSeqBlocksOf1000.migrate(c);
            assertEquals(51, new RowIds().next(c));
        }
    }
}
