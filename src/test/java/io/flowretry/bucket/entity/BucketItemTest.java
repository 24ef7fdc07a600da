package io.flowretry.bucket.entity;

import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucket item's state machine: every trigger × outcome × error class × tries so far. */
class BucketItemTest {

    private static final Instant T0 = Instant.parse("2026-11-29T14:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-29T15:00:00Z");

    private static BucketItem item(int tries, int autoTries) {
        return new BucketItem(7, 1, "c7", "CRM", BucketStatus.FAILED, tries, autoTries, T0, 1);
    }

    /** null = SUCCESS; else the failure's class (null class inside = an unclassified failure). */
    private record Outcome(boolean success, ErrorClass errorClass) {
    }

    private static List<Outcome> outcomes() {
        var all = new ArrayList<Outcome>();
        all.add(new Outcome(true, null));
        all.add(new Outcome(false, null));
        Arrays.stream(ErrorClass.values()).forEach(c -> all.add(new Outcome(false, c)));
        return all;
    }

    @Test
    void every_trigger_outcome_and_count_ends_in_the_state_the_rules_say() {
        int cases = 0;
        for (Trigger trigger : Trigger.RUNS) {
            for (Outcome outcome : outcomes()) {
                for (int autoTries = 0; autoTries <= BucketItem.MAX_AUTO_TRIES + 1; autoTries++) {
                    for (int manualTries = 0; manualTries <= 2; manualTries++) {
                        for (int lapse : new int[]{0, 20, 1440}) {
                            var item = item(autoTries + manualTries, autoTries);
                            item.attempted(trigger, outcome.success(), outcome.errorClass(), outcome.success() ? "ignored" : "boom", T1, lapse);
                            var what = trigger + " " + outcome + " after " + autoTries + " auto / " + manualTries + " manual, lapse " + lapse;

                            int resync = trigger == Trigger.MAIN ? 0 : 1;
                            int auto = trigger == Trigger.AUTO ? 1 : 0;
                            assertEquals(autoTries + manualTries + resync, item.getTries(), what);
                            assertEquals(autoTries + auto, item.getAutoTries(), what);
                            assertEquals(outcome.success() ? BucketStatus.SUCCESS : BucketStatus.FAILED, item.getStatus(), what);
                            var errorClass = outcome.success() ? null : outcome.errorClass() == null ? ErrorClass.TRANSIENT : outcome.errorClass();
                            assertEquals(errorClass, item.getErrorClass(), what);
                            assertEquals(outcome.success() ? null : "boom", item.getLastError(), what);
                            QueueState expected = outcome.success() ? QueueState.RESOLVED
                                    : errorClass == ErrorClass.SOURCE_MISSING ? QueueState.PARKED
                                    : autoTries + auto >= 4 ? QueueState.EXHAUSTED : QueueState.QUEUED;
                            assertEquals(expected, item.getQueueState(), what);
                            assertEquals(expected == QueueState.EXHAUSTED, item.isExhausted(), what);
                            assertEquals(T1, item.getLastAttemptAt(), what);
                            assertEquals(T1.plus(Duration.ofMinutes(lapse)), item.getNextAttemptAt(), what);
                            assertEquals(T1.plus(Duration.ofMinutes(lapse)), item.dueAt(lapse), what);
                            var dueAt = T1.plus(Duration.ofMinutes(lapse));
                            assertEquals(expected == QueueState.QUEUED, item.isDue(dueAt, lapse), what);
                            assertFalse(item.isDue(dueAt.minusMillis(1), lapse), what + ": not before its due time");
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(3 * 5 * 6 * 3 * 3, cases);
    }

    @Test
    void the_customers_example_four_auto_tries_then_only_manual() {
        var item = new BucketItem(7, 1, "c7", "CRM", T0);
        item.attempted(Trigger.MAIN, false, ErrorClass.DATA, "email: invalid", T0, 20);
        assertEquals(QueueState.QUEUED, item.getQueueState());
        assertEquals(0, item.getTries());
        assertEquals(Instant.parse("2026-11-29T14:20:00Z"), item.dueAt(20));
        assertFalse(item.isDue(Instant.parse("2026-11-29T14:10:00Z"), 20));
        assertTrue(item.isDue(Instant.parse("2026-11-29T15:00:00Z"), 20));
        for (int i = 1; i <= 4; i++) {
            item.attempted(Trigger.AUTO, false, ErrorClass.DATA, "email: invalid", T0.plus(Duration.ofHours(i)), 20);
        }
        assertEquals(QueueState.EXHAUSTED, item.getQueueState());
        assertTrue(item.isExhausted());
        assertFalse(item.isDue(T0.plus(Duration.ofDays(30)), 20), "the automatic retry has given up");
        item.attempted(Trigger.MANUAL, true, null, null, T0.plus(Duration.ofHours(6)), 20);
        assertEquals(QueueState.RESOLVED, item.getQueueState());
        assertEquals(5, item.getTries());
        assertEquals(4, item.getAutoTries());
        assertNull(item.getErrorClass());
    }

    @Test
    void the_lapse_in_force_now_decides_not_the_one_stored_with_the_attempt() {
        var item = new BucketItem(7, 1, "c7", "CRM", T0);
        item.attempted(Trigger.MAIN, false, ErrorClass.TRANSIENT, "HTTP 503", T0, 20);
        assertEquals(T0.plus(Duration.ofMinutes(20)), item.getNextAttemptAt());
        assertTrue(item.isDue(T0, 0), "redeployed with a lapse of 0: due at once");
        assertFalse(item.isDue(T0.plus(Duration.ofMinutes(59)), 60), "redeployed with 60: due an hour after the attempt");
    }

    @Test
    void a_negative_lapse_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> item(0, 0).attempted(Trigger.AUTO, false, ErrorClass.DATA, "x", T1, -1));
    }

    @Test
    void a_discard_takes_a_failed_item_out_of_the_queue_for_good_keeping_its_tries_and_error() {
        var item = item(2, 1);
        item.attempted(Trigger.AUTO, false, ErrorClass.DATA, "email: invalid", T0, 20);
        item.discard(T1);
        assertEquals(BucketStatus.DISCARDED, item.getStatus());
        assertEquals(QueueState.DISCARDED, item.getQueueState());
        assertEquals(3, item.getTries(), "a discard is no try");
        assertEquals(2, item.getAutoTries());
        assertEquals("email: invalid", item.getLastError(), "why it failed stays visible");
        assertEquals(ErrorClass.DATA, item.getErrorClass());
        assertEquals(T1, item.getLastAttemptAt(), "retention counts from the discard");
        assertFalse(item.isDue(T1.plus(Duration.ofDays(365)), 0), "never due again");
        assertFalse(item.isDiscardable());
        assertThrows(IllegalStateException.class, () -> item.discard(T1), "discarded twice");
    }

    @Test
    void only_a_failed_item_can_be_discarded() {
        var item = item(1, 1);
        item.attempted(Trigger.MANUAL, true, null, null, T0, 0);
        assertFalse(item.isDiscardable());
        assertThrows(IllegalStateException.class, () -> item.discard(T1));
        assertEquals(BucketStatus.SUCCESS, item.getStatus());
    }

    @Test
    void a_main_failure_keeps_a_discarded_item_discarded_a_success_or_a_resync_brings_it_back() {
        var discarded = new BucketItem(7, 1, "c7", "CRM", BucketStatus.DISCARDED, 1, 1, T0, 3);
        discarded.attempted(Trigger.MAIN, false, ErrorClass.DATA, "still bad", T1, 0);
        assertEquals(BucketStatus.DISCARDED, discarded.getStatus());
        assertEquals(QueueState.DISCARDED, discarded.getQueueState());
        assertEquals("still bad", discarded.getLastError());
        assertFalse(discarded.isDue(T1, 0));

        var mainSuccess = new BucketItem(7, 1, "c7", "CRM", BucketStatus.DISCARDED, 1, 1, T0, 3);
        mainSuccess.attempted(Trigger.MAIN, true, null, null, T1, 0);
        assertEquals(QueueState.RESOLVED, mainSuccess.getQueueState());

        for (Trigger resync : new Trigger[]{Trigger.MANUAL, Trigger.AUTO}) {
            var back = new BucketItem(7, 1, "c7", "CRM", BucketStatus.DISCARDED, 1, 1, T0, 3);
            back.attempted(resync, false, ErrorClass.DATA, "x", T1, 0);
            assertEquals(BucketStatus.FAILED, back.getStatus(), resync.name());
            assertEquals(QueueState.QUEUED, back.getQueueState(), resync.name());
            assertEquals(2, back.getTries(), resync.name());
        }
    }

    @Test
    void an_outage_skip_counts_no_try_and_changes_nothing_of_the_item_for_any_trigger_and_history() {
        for (Trigger trigger : List.of(Trigger.MAIN, Trigger.AUTO, Trigger.MANUAL)) {
            for (int autoTries = 0; autoTries <= BucketItem.MAX_AUTO_TRIES; autoTries++) {
                var item = item(autoTries + 1, autoTries);
                item.attempted(Trigger.MAIN, false, ErrorClass.TRANSIENT, "HTTP 503: busy", T0, 20);
                var before = List.of(item.getTries(), item.getAutoTries(), item.getStatus(), item.getQueueState(),
                        item.getLastAttemptAt(), item.getNextAttemptAt(), item.getErrorClass(), item.getLastError());
                boolean changed = item.attempted(trigger, Attempt.Outcome.SKIPPED_OUTAGE, ErrorClass.TRANSIENT,
                        "ERP PUT /customers/7: connection refused", T1, 20);
                assertFalse(changed, trigger + " with " + autoTries + " auto tries");
                assertEquals(before, List.of(item.getTries(), item.getAutoTries(), item.getStatus(), item.getQueueState(),
                        item.getLastAttemptAt(), item.getNextAttemptAt(), item.getErrorClass(), item.getLastError()));
                assertEquals(autoTries >= BucketItem.MAX_AUTO_TRIES ? QueueState.EXHAUSTED : QueueState.QUEUED, item.getQueueState());
                assertTrue(item.isDue(T0.plus(Duration.ofMinutes(20)), 20) || item.isExhausted(), "keeps its place in the due order");
            }
        }
    }

    @Test
    void a_discard_is_no_attempt_of_a_run() {
        assertThrows(IllegalArgumentException.class, () -> item(0, 0).attempted(Trigger.DISCARD, false, null, "x", T1, 0));
        assertEquals(BucketStatus.DISCARDED.name(), QueueState.DISCARDED.name());
        assertEquals(QueueState.DISCARDED, BucketItem.queueState(BucketStatus.DISCARDED, ErrorClass.SOURCE_MISSING, 4));
    }

    @Test
    void the_outcome_form_of_an_attempt_is_the_boolean_form() {
        var a = item(1, 1);
        var b = item(1, 1);
        a.attempted(Trigger.AUTO, false, ErrorClass.DATA, "x", T1, 5);
        assertTrue(b.attempted(Trigger.AUTO, Attempt.Outcome.FAILED, ErrorClass.DATA, "x", T1, 5));
        assertEquals(List.of(a.getTries(), a.getAutoTries(), a.getQueueState(), a.getNextAttemptAt()),
                List.of(b.getTries(), b.getAutoTries(), b.getQueueState(), b.getNextAttemptAt()));
        assertTrue(b.attempted(Trigger.AUTO, Attempt.Outcome.SUCCESS, null, null, T1, 5));
        assertEquals(QueueState.RESOLVED, b.getQueueState());
        assertEquals(3, b.getTries());
    }
}
