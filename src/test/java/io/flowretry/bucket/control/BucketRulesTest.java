package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.flows.control.RecordOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-29T11:00:00Z");

    private static RecordOutcome failed(ErrorClass c, String error) {
        return RecordOutcome.failed("7", c, error, null, null);
    }

    @Test
    void an_outage_skip_is_no_change_to_write_and_keeps_the_node_name() {
        var item = new BucketItem(99, 1, "7", "CRM", BucketStatus.FAILED, 2, 2, T0, 5);
        assertFalse(BucketRecorder.apply(item, "CRM renamed", Trigger.AUTO, Attempt.Outcome.SKIPPED_OUTAGE,
                failed(ErrorClass.TRANSIENT, "ERP PUT /customers/7: connection refused"), T1, 20));
        assertEquals("CRM", item.getNodeName());
        assertEquals(2, item.getTries());
        assertEquals(2, item.getAutoTries());
        assertEquals(T0, item.getLastAttemptAt());
        assertTrue(BucketRecorder.apply(item, "CRM", Trigger.AUTO, Attempt.Outcome.FAILED,
                failed(ErrorClass.TRANSIENT, "HTTP 503: busy"), T1, 20));
        assertEquals(3, item.getTries());
    }

    @Test
    void main_failure_updates_error_and_time_but_not_tries() {
        var item = new BucketItem(99, 1, "7", "CRM", T0);
        BucketRecorder.apply(item, "CRM", Trigger.MAIN, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "email: required value is missing"), T0, 20);
        BucketRecorder.apply(item, "CRM", Trigger.MAIN, Attempt.Outcome.FAILED, failed(ErrorClass.TRANSIENT, "HTTP 503: busy"), T1, 20);
        assertEquals(BucketStatus.FAILED, item.getStatus());
        assertEquals(QueueState.QUEUED, item.getQueueState());
        assertEquals(0, item.getTries());
        assertEquals(0, item.getAutoTries());
        assertEquals(T1, item.getLastAttemptAt());
        assertEquals(T1.plusSeconds(20 * 60), item.getNextAttemptAt());
        assertEquals(ErrorClass.TRANSIENT, item.getErrorClass());
        assertEquals("HTTP 503: busy", item.getLastError());
    }

    @Test
    void resyncs_count_tries_and_auto_ones_separately_and_exhaust_after_four_auto_tries() {
        var item = new BucketItem(99, 1, "7", "CRM", T0);
        BucketRecorder.apply(item, "CRM", Trigger.MAIN, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "x"), T0, 0);
        BucketRecorder.apply(item, "CRM", Trigger.MANUAL, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "x"), T0, 0);
        for (int i = 0; i < 3; i++) {
            BucketRecorder.apply(item, "CRM", Trigger.AUTO, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "x"), T0, 0);
            assertEquals(QueueState.QUEUED, item.getQueueState());
        }
        BucketRecorder.apply(item, "CRM", Trigger.AUTO, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "x"), T0, 0);
        assertEquals(5, item.getTries());
        assertEquals(4, item.getAutoTries());
        assertEquals(QueueState.EXHAUSTED, item.getQueueState());
    }

    @Test
    void success_resolves_and_clears_the_error() {
        var item = new BucketItem(99, 1, "7", "CRM", T0);
        BucketRecorder.apply(item, "CRM", Trigger.MAIN, Attempt.Outcome.FAILED, failed(ErrorClass.DATA, "x"), T0, 0);
        BucketRecorder.apply(item, "CRM", Trigger.MAIN, Attempt.Outcome.SUCCESS, RecordOutcome.succeeded("7", null, null), T1, 0);
        assertEquals(BucketStatus.SUCCESS, item.getStatus());
        assertEquals(QueueState.RESOLVED, item.getQueueState());
        assertNull(item.getErrorClass());
        assertNull(item.getLastError());
        assertEquals(0, item.getTries());
    }

    @Test
    void a_record_gone_from_the_source_is_parked() {
        assertEquals(QueueState.PARKED, BucketItem.queueState(BucketStatus.FAILED, ErrorClass.SOURCE_MISSING, 0));
        assertEquals(QueueState.RESOLVED, BucketItem.queueState(BucketStatus.SUCCESS, null, 4));
        assertEquals(QueueState.EXHAUSTED, BucketItem.queueState(BucketStatus.FAILED, ErrorClass.TRANSIENT, 4));
        assertEquals(QueueState.QUEUED, BucketItem.queueState(BucketStatus.FAILED, ErrorClass.TRANSIENT, 3));
    }

    @Test
    void prefix_filter_escapes_like_wildcards_and_bounds_the_range() {
        assertEquals("a\\%b\\_c\\\\%", BucketQueries.likePattern("a%b_c\\"));
        assertEquals("ab", BucketQueries.upperBound("aa"));
        assertEquals("1", BucketQueries.upperBound("0"));
        assertEquals("b", BucketQueries.upperBound("a\uffff"));
        assertNull(BucketQueries.upperBound("\uffff"));
        // every string with the prefix lies in [prefix, upperBound)
        for (String s : new String[]{"aa", "aa0", "aaz", "aa\uffff"}) {
            assertTrue(s.compareTo("aa") >= 0 && s.compareTo(BucketQueries.upperBound("aa")) < 0, s);
        }
    }

    @Test
    void cursors_round_trip_and_reject_strangers() {
        Set<String> seen = new HashSet<>();
        for (String id : new String[]{"7", "ä/ö?&=", "", "x".repeat(200)}) {
            var cursor = BucketQueries.encodeCursor(id);
            assertTrue(cursor.matches("[A-Za-z0-9_-]*"), cursor);
            assertEquals(id, BucketQueries.decodeCursor(cursor));
            seen.add(cursor);
        }
        assertEquals(4, seen.size());
        assertThrows(IllegalArgumentException.class, () -> BucketQueries.decodeCursor("!!!"));
        assertThrows(IllegalArgumentException.class, () -> BucketQueries.decodeCursor("eHl6"));
    }
}
