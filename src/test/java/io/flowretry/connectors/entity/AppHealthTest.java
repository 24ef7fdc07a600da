package io.flowretry.connectors.entity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The circuit breaker's rules: failures in a row, answers, back-off of the probes, Retry-After. */
class AppHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration MAX = Duration.ofMinutes(15);

    @Test
    void five_transient_failures_in_a_row_put_the_app_down_and_an_answer_between_them_resets_the_count() {
        var h = new AppHealth(1, T0);
        for (int i = 0; i < 4; i++) {
            assertFalse(h.unreachable("refused", T0, 5, MINUTE));
        }
        h.answered(T0);
        assertEquals(0, h.getFailures());
        for (int i = 0; i < 4; i++) {
            assertFalse(h.unreachable("refused", T0.plusSeconds(i), 5, MINUTE));
        }
        assertTrue(h.unreachable("ERP: connection refused", T0.plusSeconds(10), 5, MINUTE));
        assertEquals(AppHealth.State.DOWN, h.getState());
        assertEquals(T0.plusSeconds(10), h.getSince());
        assertEquals("ERP: connection refused", h.getLastError());
        assertEquals(T0.plusSeconds(70), h.getNextProbeAt());
        assertFalse(h.probeDue(T0.plusSeconds(69)));
        assertTrue(h.probeDue(T0.plusSeconds(70)));
    }

    @Test
    void failed_probes_back_off_from_one_minute_doubling_to_fifteen_and_an_answer_puts_the_app_up() {
        var h = new AppHealth(1, T0);
        h.unreachable("x", T0, 1, MINUTE);
        var at = T0;
        long[] expected = {120, 240, 480, 900, 900};
        for (long seconds : expected) {
            at = h.getNextProbeAt();
            h.probing(at);
            assertFalse(h.probeDue(at), "claimed: no other server probes now");
            h.probeFailed("still refused", at, MAX);
            assertEquals(seconds, h.getProbeDelaySeconds());
            assertEquals(at.plusSeconds(seconds), h.getNextProbeAt());
        }
        assertEquals(T0, h.getSince(), "DOWN since the first failure");
        h.answered(at.plusSeconds(900));
        assertEquals(AppHealth.State.UP, h.getState());
        assertEquals(at.plusSeconds(900), h.getSince());
        assertNull(h.getNextProbeAt());
        assertFalse(h.probeDue(at.plusSeconds(10_000)));
    }

    @Test
    void retry_after_puts_the_app_down_at_once_until_then_and_never_shortens_a_later_probe() {
        var h = new AppHealth(1, T0);
        h.backedOff("HTTP 429: slow down; Retry-After 120 s", T0, Duration.ofSeconds(120));
        assertTrue(h.isDown());
        assertEquals(T0.plusSeconds(120), h.getNextProbeAt());
        h.backedOff("HTTP 429", T0.plusSeconds(10), Duration.ofSeconds(30));
        assertEquals(T0.plusSeconds(120), h.getNextProbeAt());
        h.backedOff("HTTP 429", T0.plusSeconds(10), Duration.ofSeconds(300));
        assertEquals(T0.plusSeconds(310), h.getNextProbeAt());
    }

    @Test
    void a_down_app_stays_down_through_more_failures_and_since_does_not_move() {
        var h = new AppHealth(1, T0);
        h.unreachable("x", T0, 2, MINUTE);
        h.unreachable("x", T0.plusSeconds(1), 2, MINUTE);
        assertTrue(h.unreachable("y", T0.plusSeconds(2), 2, MINUTE));
        assertEquals(T0.plusSeconds(1), h.getSince());
        assertEquals("y", h.getLastError());
    }
}
