package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A chunk's attempts survive a pool's statement cache making room while the chunk prepares its other
 * statements. The connection here closes the previously prepared statement whenever another one is
 * prepared, as Payara's LRU statement cache does to its oldest entry when it is full (seen in the
 * suite: "The object is already closed" on the attempts' batch).
 */
class AttemptsTest {

    @Test
    void are_written_although_every_prepare_closes_the_statement_before_it() throws Exception {
        try (var h2 = DriverManager.getConnection("jdbc:h2:mem:attempts_test", "sa", ""); var st = h2.createStatement()) {
            st.execute("create table attempts (id bigint primary key, item_id bigint, attempted_at timestamp with time zone,"
                    + " trigger_type varchar(20), outcome varchar(20), error_class varchar(20), error varchar(4000), run_id bigint,"
                    + " execution_id bigint, user_name varchar(100), reason varchar(1000))");
            var c = evictingCache(h2);
            try (var attempts = new BucketStore.Attempts(c)) {
                var at = Instant.parse("2027-01-01T10:00:00Z");
                attempts.add(1, 101, at, Trigger.AUTO, Attempt.Outcome.FAILED, ErrorClass.TRANSIENT, "ERP answered 503", 7L, null, null, null);
                try (var other = c.prepareStatement("select count(*) from attempts")) {
                    other.executeQuery().close(); // the chunk's item updates, overrides, ... in between
                }
                attempts.add(2, 102, at, Trigger.MANUAL, Attempt.Outcome.SUCCESS, null, null, 7L, null, "ops", "x".repeat(5000));
                try (var other = c.prepareStatement("select max(id) from attempts")) {
                    other.executeQuery().close();
                }
                attempts.execute();
            }
            try (var rs = st.executeQuery("select count(*), sum(item_id), max(length(reason)) from attempts")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
                assertEquals(203, rs.getLong(2));
                assertEquals(1000, rs.getInt(3), "the reason is cut to its column");
            }
        }
    }

    /** A connection whose statement cache holds one entry: preparing a statement closes the one prepared before. */
    private static Connection evictingCache(Connection real) {
        PreparedStatement[] cached = new PreparedStatement[1];
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
            try {
                if (method.getName().equals("prepareStatement")) {
                    if (cached[0] != null) {
                        cached[0].close();
                    }
                    cached[0] = (PreparedStatement) method.invoke(real, args);
                    return cached[0];
                }
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
