package io.flowretry.executions.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SyncTicksTest {

    private static final Instant DEPLOYED = Instant.parse("2027-01-01T10:00:30Z");
    private static final Duration EVERY_15 = Duration.ofMinutes(15);

    @Test
    void the_first_tick_is_one_period_after_the_deployment() {
        assertEquals(Instant.parse("2027-01-01T10:15:30Z"), SyncTicks.next(DEPLOYED, EVERY_15, DEPLOYED));
        assertEquals(Instant.parse("2027-01-01T10:15:30Z"), SyncTicks.next(DEPLOYED, EVERY_15, DEPLOYED.plusSeconds(899)));
    }

    @Test
    void at_a_tick_the_next_one_follows_never_the_same() {
        assertEquals(Instant.parse("2027-01-01T10:30:30Z"), SyncTicks.next(DEPLOYED, EVERY_15, Instant.parse("2027-01-01T10:15:30Z")));
    }

    @Test
    void missed_ticks_are_not_run_one_by_one_after_a_jump() {
        assertEquals(Instant.parse("2027-01-03T00:00:30Z"), SyncTicks.next(DEPLOYED, EVERY_15, Instant.parse("2027-01-02T23:59:00Z")));
    }

    @Test
    void a_clock_before_the_deployment_waits_for_the_first_tick() {
        assertEquals(Instant.parse("2027-01-01T10:15:30Z"), SyncTicks.next(DEPLOYED, EVERY_15, Instant.parse("2026-12-31T00:00:00Z")));
    }

    @Test
    void the_period_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> SyncTicks.next(DEPLOYED, Duration.ZERO, DEPLOYED));
    }
}
