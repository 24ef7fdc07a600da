package io.flowretry.alerts.entity;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlertDeliveryTest {

    static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void failed_tries_back_off_30_s_1_2_4_min_and_the_fifth_failure_ends_it() {
        var d = new AlertDelivery(1, AlertEvent.RUN_FAILED, 2, 3, "m", T);
        assertEquals(T, d.getNextTryAt());
        var at = T;
        long[] waits = {30, 60, 120, 240};
        for (long wait : waits) {
            d.tried(at, 503, "the receiver answered 503");
            assertEquals(AlertDelivery.Status.PENDING, d.getStatus());
            assertEquals(at.plusSeconds(wait), d.getNextTryAt());
            at = d.getNextTryAt();
        }
        d.tried(at, null, "connect timed out");
        assertEquals(AlertDelivery.Status.FAILED, d.getStatus());
        assertEquals(5, d.getAttempts());
        assertNull(d.getNextTryAt());
        assertThrows(IllegalStateException.class, () -> d.tried(T, 200, null));
    }

    @Test
    void a_successful_try_sends_it() {
        var d = new AlertDelivery(1, AlertEvent.TEST, 0, 3, "m", T);
        d.tried(T, 503, "down");
        d.tried(T.plusSeconds(30), 204, null);
        assertEquals(AlertDelivery.Status.SENT, d.getStatus());
        assertEquals(T.plusSeconds(30), d.getSentAt());
        assertEquals(2, d.getAttempts());
        assertNull(d.getLastError());
    }
}
