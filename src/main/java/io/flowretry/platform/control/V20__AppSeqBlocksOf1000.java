package io.flowretry.platform.control;

import io.flowretry.platform.entity.Identified;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Migration 20: ids are reserved in blocks of {@value Identified#ALLOCATION} instead of 50 (one
 * sequence call per 1000 rows; the hot paths insert ~200 rows a chunk). A Java migration because
 * the new start depends on the sequence's state: it takes one last value V of the old kind (which
 * reserved V − 49 .. V) and restarts the sequence at V + 1000, whose block is V + 1 .. V + 1000.
 * ({@code alter sequence … increment by} alone is not enough: H2 would still hand out V + 50 next,
 * a block reaching back over used ids.)
 */
public class V20__AppSeqBlocksOf1000 extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        migrate(context.getConnection());
    }

    static void migrate(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            long last;
            try (var rs = statement.executeQuery("select nextval('app_seq')")) {
                rs.next();
                last = rs.getLong(1);
            }
            statement.execute("alter sequence app_seq restart with " + (last + Identified.ALLOCATION)
                    + " increment by " + Identified.ALLOCATION);
        }
    }
}
