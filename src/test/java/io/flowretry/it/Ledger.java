package io.flowretry.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The books of a deployment, read straight from the application's PostgreSQL database and the
 * destination's, for the tests that crash, race and lock things (FaultsIT, ClusterIT): whatever
 * happened, every record is accounted for.
 * <ul>
 * <li>per source id: at most one destination row, exactly one for a record whose item is SUCCESS;</li>
 * <li>tries = its AUTO and MANUAL attempts, auto tries = its AUTO attempts (an outage's SKIPPED_OUTAGE attempt counts no try, and a paused run that resumes tries the record again);</li>
 * <li>no attempt twice for one item in one retry run or one main execution;</li>
 * <li>the item's status is the outcome of its last attempt that was not skipped for an outage.</li>
 * </ul>
 * The destination is a JDBC table keyed by source id; {@link #logWrites} adds a trigger counting
 * every write to it, so a test can bound what a crash re-sent ({@link #writes}).
 *
 * <pre>
 * var ledger = Ledger.of(System.getenv("DB_URL")).destination(dstUrl, "customers", "source_id");
 * Ledger.logWrites(dstUrl, "customers");
 * ... run, crash, restart ...
 * var books = ledger.assertBalanced(deploymentId);   // per source id
 * assertEquals("SUCCESS", books.get("c00001").status());
 * </pre>
 */
public final class Ledger {

    /** One record's books. {@code destinationRows} is -1 when the ledger has no destination. */
    public record Entry(String sourceId, String status, String queueState, int tries, int autoTries, int retryAttempts,
                        int autoAttempts, int mainAttempts, String lastOutcome, int destinationRows) {
    }

    private final String appUrl;
    private final String destinationUrl;
    private final String destinationTable;
    private final String keyColumn;

    private Ledger(String appUrl, String destinationUrl, String destinationTable, String keyColumn) {
        this.appUrl = appUrl;
        this.destinationUrl = destinationUrl;
        this.destinationTable = destinationTable;
        this.keyColumn = keyColumn;
    }

    /** The books in the application's database (user postgres, trust authentication, as in the suite). */
    public static Ledger of(String appJdbcUrl) {
        return new Ledger(appJdbcUrl, null, null, null);
    }

    /** The same books with the destination table whose rows are counted per source id. */
    public Ledger destination(String jdbcUrl, String table, String keyColumn) {
        name(table);
        name(keyColumn);
        return new Ledger(appUrl, jdbcUrl, table, keyColumn);
    }

    /**
     * Every item of the deployment with its attempts and destination rows; asserts the rules above
     * for each and returns the books by source id.
     */
    public Map<String, Entry> assertBalanced(long deploymentId) throws SQLException {
        var books = read(deploymentId);
        List<String> broken = new ArrayList<>();
        for (var e : books.values()) {
            if (e.tries() != e.retryAttempts()) {
                broken.add(e.sourceId() + ": tries " + e.tries() + " but " + e.retryAttempts() + " retry attempts");
            }
            if (e.autoTries() != e.autoAttempts()) {
                broken.add(e.sourceId() + ": auto tries " + e.autoTries() + " but " + e.autoAttempts() + " AUTO attempts");
            }
            if (e.lastOutcome() != null && !e.lastOutcome().equals(e.status())) {
                broken.add(e.sourceId() + ": status " + e.status() + " but its last attempt " + e.lastOutcome());
            }
            if (e.destinationRows() > 1 || ("SUCCESS".equals(e.status()) && e.destinationRows() == 0)) {
                broken.add(e.sourceId() + ": " + e.status() + " with " + e.destinationRows() + " destination rows");
            }
        }
        try (var c = DriverManager.getConnection(appUrl, "postgres", "");
             var ps = c.prepareStatement("""
                     select b.source_id, a.run_id, a.execution_id, count(*) from attempts a join bucket_items b on b.id = a.item_id
                     where b.deployment_id = ? and a.outcome <> 'SKIPPED_OUTAGE'
                     group by b.source_id, a.run_id, a.execution_id having count(*) > 1""")) {
            ps.setLong(1, deploymentId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    broken.add(rs.getString(1) + ": " + rs.getInt(4) + " attempts in " + (rs.getObject(2) != null
                            ? "retry run " + rs.getLong(2) : "execution " + rs.getLong(3)));
                }
            }
        }
        if (destinationTable != null) {
            try (var c = DriverManager.getConnection(destinationUrl, "postgres", "");
                 var s = c.createStatement();
                 var rs = s.executeQuery("select " + keyColumn + ", count(*) from " + destinationTable + " group by " + keyColumn
                         + " having count(*) > 1")) {
                while (rs.next()) {
                    broken.add(rs.getString(1) + ": " + rs.getInt(2) + " destination rows");
                }
            }
        }
        assertTrue(broken.isEmpty(), "the ledger of deployment " + deploymentId + " does not balance ("
                + broken.size() + " entries), e.g. " + broken.subList(0, Math.min(10, broken.size())));
        return books;
    }

    private Map<String, Entry> read(long deploymentId) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        if (destinationTable != null) {
            try (var c = DriverManager.getConnection(destinationUrl, "postgres", "");
                 var s = c.createStatement();
                 var rs = s.executeQuery("select " + keyColumn + ", count(*) from " + destinationTable + " group by " + keyColumn)) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        Map<String, Entry> books = new TreeMap<>();
        try (var c = DriverManager.getConnection(appUrl, "postgres", "");
             var ps = c.prepareStatement("""
                     select b.source_id, b.status, b.queue_state, b.tries, b.auto_tries,
                            count(a.id) filter (where a.trigger_type in ('AUTO', 'MANUAL') and a.outcome <> 'SKIPPED_OUTAGE'),
                            count(a.id) filter (where a.trigger_type = 'AUTO' and a.outcome <> 'SKIPPED_OUTAGE'),
                            count(a.id) filter (where a.trigger_type = 'MAIN'),
                            (select l.outcome from attempts l where l.item_id = b.id and l.outcome <> 'SKIPPED_OUTAGE' order by l.attempted_at desc, l.id desc limit 1)
                     from bucket_items b left join attempts a on a.item_id = b.id
                     where b.deployment_id = ? group by b.id""")) {
            ps.setLong(1, deploymentId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    var sourceId = rs.getString(1);
                    books.put(sourceId, new Entry(sourceId, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                            rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getString(9),
                            destinationTable == null ? -1 : rows.getOrDefault(sourceId, 0)));
                }
            }
        }
        return books;
    }

    /**
     * Adds a trigger to the destination table that logs every insert and update (table
     * {@code ledger_writes}), for {@link #writes}.
     */
    public static void logWrites(String destinationJdbcUrl, String table) throws SQLException {
        name(table);
        try (Connection c = DriverManager.getConnection(destinationJdbcUrl, "postgres", ""); var s = c.createStatement()) {
            s.execute("create table if not exists ledger_writes (tbl varchar(100) not null, source_id varchar(200) not null)");
            s.execute("create index if not exists ix_ledger_writes on ledger_writes (tbl, source_id)");
            s.execute("""
                    create or replace function ledger_write() returns trigger language plpgsql as $$
                    begin insert into ledger_writes values (TG_TABLE_NAME, new.source_id); return new; end $$""");
            s.execute("create trigger " + table + "_ledger after insert or update on " + table
                    + " for each row execute function ledger_write()");
        }
    }

    /** How often each source id was written to {@code table} since {@link #logWrites}. */
    public static Map<String, Integer> writes(String destinationJdbcUrl, String table) throws SQLException {
        Map<String, Integer> writes = new HashMap<>();
        try (var c = DriverManager.getConnection(destinationJdbcUrl, "postgres", "");
             var ps = c.prepareStatement("select source_id, count(*) from ledger_writes where tbl = ? group by source_id")) {
            ps.setString(1, table);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    writes.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return writes;
    }

    /**
     * Asserts that between two {@link #writes} every one of {@code sourceIds} was written at least
     * once, and at most {@code resentAtMost} of them more than once (what a crash may re-send: the
     * chunk it interrupted).
     */
    public static void assertWrittenOnce(Map<String, Integer> before, Map<String, Integer> after, Iterable<String> sourceIds,
                                         int resentAtMost) {
        int missing = 0;
        int resent = 0;
        for (var id : sourceIds) {
            int n = after.getOrDefault(id, 0) - before.getOrDefault(id, 0);
            if (n == 0) {
                missing++;
            } else if (n > 1) {
                resent++;
            }
        }
        assertEquals(0, missing, "records never written to the destination");
        assertTrue(resent <= resentAtMost, resent + " records were written more than once; at most " + resentAtMost + " may be");
    }

    private static void name(String identifier) {
        if (!identifier.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException(identifier);
        }
    }
}
