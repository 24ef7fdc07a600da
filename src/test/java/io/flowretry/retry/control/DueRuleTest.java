package io.flowretry.retry.control;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.flowretry.bucket.entity.BucketStatus.FAILED;
import static io.flowretry.bucket.entity.BucketStatus.SUCCESS;
import static io.flowretry.bucket.entity.ErrorClass.DATA;
import static io.flowretry.bucket.entity.ErrorClass.SOURCE_MISSING;
import static io.flowretry.bucket.entity.ErrorClass.TRANSIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DueRuleTest {

    private static final Instant DUE = Instant.parse("2026-11-29T14:20:00Z");
    private static final Instant RUN = Instant.parse("2026-11-29T15:00:00Z");

    @Test
    void dueAtAddsTheTimeLapse() {
        Instant last = Instant.parse("2026-11-29T14:00:00Z");
        assertEquals(DUE, DueRule.dueAt(last, 20));
        assertEquals(last, DueRule.dueAt(last, 0));
        assertEquals(Instant.parse("2026-11-30T14:00:00Z"), DueRule.dueAt(last, 1440));
    }

    @Test
    void dueAtRejectsNegativeLapse() {
        assertThrows(IllegalArgumentException.class, () -> DueRule.dueAt(RUN, -1));
    }

    @Test
    void failedAndDueIsPicked() {
        assertTrue(DueRule.isAutoDue(FAILED, 0, TRANSIENT, DUE, RUN));
        assertTrue(DueRule.isAutoDue(FAILED, 0, DATA, DUE, RUN));
    }

    @Test
    void unclassifiedErrorIsPicked() {
        assertTrue(DueRule.isAutoDue(FAILED, 0, null, DUE, RUN));
    }

    @Test
    void dueAtEqualToRunTimeIsDue() {
        assertTrue(DueRule.isAutoDue(FAILED, 0, TRANSIENT, RUN, RUN));
    }

    @Test
    void dueAtAfterRunTimeIsNotDue() {
        assertFalse(DueRule.isAutoDue(FAILED, 0, TRANSIENT, RUN.plusNanos(1), RUN));
    }

    @Test
    void capOfFourAutoTries() {
        assertEquals(4, DueRule.MAX_AUTO_TRIES);
        assertTrue(DueRule.isAutoDue(FAILED, 3, TRANSIENT, DUE, RUN));
        assertFalse(DueRule.isAutoDue(FAILED, 4, TRANSIENT, DUE, RUN));
        assertFalse(DueRule.isAutoDue(FAILED, 5, TRANSIENT, DUE, RUN));
    }

    @Test
    void autoExhausted() {
        assertFalse(DueRule.autoExhausted(0));
        assertFalse(DueRule.autoExhausted(3));
        assertTrue(DueRule.autoExhausted(4));
        assertTrue(DueRule.autoExhausted(7));
    }

    @Test
    void sourceMissingIsNeverAutoRetried() {
        assertFalse(DueRule.isAutoDue(FAILED, 0, SOURCE_MISSING, DUE, RUN));
    }

    @Test
    void succeededRecordIsNotPicked() {
        assertFalse(DueRule.isAutoDue(SUCCESS, 0, null, DUE, RUN));
    }
}
