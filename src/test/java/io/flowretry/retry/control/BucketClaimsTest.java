package io.flowretry.retry.control;

import io.flowretry.platform.control.Migrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Claims on the real schema (every migration) in H2: two runs' transactions side by side. A page's
 * lock holds exactly the page's rows, so another run skips those and only those.
 */
class BucketClaimsTest {

    private static final String URL = "jdbc:h2:mem:bucket_claims_test;DB_CLOSE_DELAY=-1";
    private static final Instant PAST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant RUN_AT = Instant.parse("2026-11-29T12:00:00Z");

    private Connection runA;
    private Connection runB;

    @BeforeEach
    void bucket_of_3000_due_items() throws SQLException {
        Migrations.configuration(getClass().getClassLoader(), false).dataSource(URL, "sa", "").load().migrate();
        try (var c = DriverManager.getConnection(URL, "sa", ""); var st = c.createStatement()) {
            st.execute("set referential_integrity false"); // no deployment rows needed for the bucket's own rules
            st.execute("delete from bucket_items");
            st.execute("insert into bucket_items (id, deployment_id, source_id, node_name, status, queue_state, tries, auto_tries,"
                    + " last_attempt_at, next_attempt_at, created_at, lock_version) select x, 1, 's' || x, 'CRM', 'FAILED', 'QUEUED',"
                    + " 0, 0, timestamp with time zone '2026-01-01 00:00:00+00', timestamp with time zone '2026-01-01 00:00:00+00',"
                    + " timestamp with time zone '2026-01-01 00:00:00+00', 1 from system_range(1, 3000)");
        }
        runA = DriverManager.getConnection(URL, "sa", "");
        runB = DriverManager.getConnection(URL, "sa", "");
        runA.setAutoCommit(false);
        runB.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        runA.rollback();
        runB.rollback();
        runA.close();
        runB.close();
    }

    private static List<Long> ids(BucketClaims.Page page) {
        return page.claimed().stream().map(ClaimedItem::itemId).toList();
    }

    @Test
    void a_page_locks_its_rows_only_and_another_run_skips_exactly_those() throws SQLException {
        var a = BucketClaims.claimNext(runA, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), ids(a));
        var first = a.claimed().getFirst().stored();
        assertEquals("s1", first.getSourceId(), "the lock reads each item as the recorder needs it");
        assertEquals(1, first.getLockVersion());
        assertEquals(PAST, first.getCreatedAt());

        var b = BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        assertEquals(List.of(), ids(b), "run A holds the first ten");
        assertFalse(b.end(), "and the walk goes on past them");
        var b2 = BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, b.next(), 10);
        assertEquals(LongStream.rangeClosed(11, 20).boxed().toList(), ids(b2));

        var far = BucketClaims.claimNext(runB, 1, Selection.ids(List.of(2500L)), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        assertEquals(List.of(2500L), ids(far), "nothing beyond run A's page is locked");
    }

    @Test
    void a_rollback_releases_the_claim() throws SQLException {
        BucketClaims.claimNext(runA, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        runA.rollback(); // a failed chunk, or a server that died
        var b = BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), ids(b));
    }

    @Test
    void an_item_attempted_after_the_run_started_is_not_taken() throws SQLException {
        try (var st = runA.createStatement()) {
            st.executeUpdate("update bucket_items set last_attempt_at = timestamp with time zone '2026-11-29 12:30:00+00' where id = 2");
        }
        runA.commit();
        var b = BucketClaims.claimNext(runB, 1, Selection.ids(List.of(1L, 2L, 3L)), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10);
        assertEquals(List.of(1L, 3L), ids(b));
    }

    @Test
    void due_is_the_last_attempt_plus_the_lapse_in_force_now_whatever_next_attempt_at_says() throws SQLException {
        try (var st = runA.createStatement()) {
            // item 1 last tried 10 minutes before the run, with next_attempt_at from an old 20-minute lapse
            st.executeUpdate("update bucket_items set queue_state = 'RESOLVED' where id > 1");
            st.executeUpdate("update bucket_items set last_attempt_at = timestamp with time zone '2026-11-29 11:50:00+00',"
                    + " next_attempt_at = timestamp with time zone '2026-11-29 12:10:00+00' where id = 1");
        }
        runA.commit();
        assertEquals(List.of(), ids(BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ofMinutes(20), ReadPosition.START, 10)),
                "not due with a 20-minute lapse");
        assertEquals(List.of(), ids(BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ofMinutes(11), ReadPosition.START, 10)));
        assertEquals(List.of(1L), ids(BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ofMinutes(10), ReadPosition.START, 10)),
                "due exactly a lapse after its last attempt");
        runB.rollback();
        assertEquals(List.of(1L), ids(BucketClaims.claimNext(runB, 1, Selection.due(), RUN_AT, java.time.Duration.ZERO, ReadPosition.START, 10)),
                "a lapse changed to 0 makes it due at once, although next_attempt_at is still 12:10");
    }
}
