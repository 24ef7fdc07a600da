package io.flowretry.platform.control;

import io.flowretry.platform.entity.Identified;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ids for the rows the hot paths insert with plain JDBC batches (bucket items, attempts, run items).
 * They come from the sequence JPA uses, {@code app_seq}, with the same convention as
 * {@link Identified}'s generator: one {@code nextval} V reserves the block
 * [V − {@value Identified#ALLOCATION} + 1, V]. So JPA and this allocator, on any number of servers,
 * never hand out the same id, and a block costs one round trip per {@value Identified#ALLOCATION} rows.
 */
@ApplicationScoped
public class RowIds {

    private long next = 1;
    private long last = 0;

    /** The next free id; takes a new block on {@code connection} when the current one is used up. */
    public synchronized long next(Connection connection) throws SQLException {
        if (next > last) {
            try (var statement = connection.createStatement();
                 var rs = statement.executeQuery("select nextval('app_seq')")) { // H2 and PostgreSQL alike
                rs.next();
                last = rs.getLong(1);
                next = last - Identified.ALLOCATION + 1;
            }
        }
        return next++;
    }
}
