package io.flowretry.retry.control;

import io.flowretry.deployments.entity.Frequency;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotPlanTest {

    private static final Instant DEPLOYED = Instant.parse("2026-11-29T14:00:00Z");
    private static final RetrySchedule HOURLY = new RetrySchedule(Frequency.HOURLY, null, 1, ZoneId.of("UTC"), DEPLOYED);

    @Test
    void no_catch_up_before_the_first_slot() {
        var now = Instant.parse("2026-11-29T14:59:00Z");
        assertTrue(SlotPlan.catchUp(HOURLY, Optional.empty(), now).isEmpty());
        assertEquals(Instant.parse("2026-11-29T15:00:00Z"), SlotPlan.atStartup(HOURLY, Optional.empty(), now));
    }

    @Test
    void many_missed_slots_are_caught_up_by_one_run_at_the_newest() {
        // down from 14:30 to 19:10: slots 15..19 missed, last claimed none
        var now = Instant.parse("2026-11-29T19:10:00Z");
        assertEquals(Optional.of(Instant.parse("2026-11-29T19:00:00Z")), SlotPlan.catchUp(HOURLY, Optional.empty(), now));
        assertEquals(Instant.parse("2026-11-29T19:00:00Z"), SlotPlan.atStartup(HOURLY, Optional.empty(), now));
    }

    @Test
    void missed_slots_after_the_last_claimed_one_are_caught_up() {
        var now = Instant.parse("2026-11-29T19:10:00Z");
        var last = Optional.of(Instant.parse("2026-11-29T16:00:00Z"));
        assertEquals(Optional.of(Instant.parse("2026-11-29T19:00:00Z")), SlotPlan.catchUp(HOURLY, last, now));
    }

    @Test
    void nothing_to_catch_up_when_the_newest_slot_ran() {
        var now = Instant.parse("2026-11-29T19:10:00Z");
        var last = Optional.of(Instant.parse("2026-11-29T19:00:00Z"));
        assertTrue(SlotPlan.catchUp(HOURLY, last, now).isEmpty());
        assertEquals(Instant.parse("2026-11-29T20:00:00Z"), SlotPlan.atStartup(HOURLY, last, now));
    }

    @Test
    void a_slot_exactly_now_is_caught_up() {
        var now = Instant.parse("2026-11-29T17:00:00Z");
        assertEquals(Optional.of(now), SlotPlan.catchUp(HOURLY, Optional.of(Instant.parse("2026-11-29T16:00:00Z")), now));
    }

    @Test
    void after_a_slot_fired_on_time_the_next_slot_follows() {
        var fired = Instant.parse("2026-11-29T15:00:00Z");
        assertEquals(Instant.parse("2026-11-29T16:00:00Z"), SlotPlan.afterFired(HOURLY, fired, fired));
    }

    @Test
    void a_timer_that_fired_late_skips_the_slots_it_overslept() {
        var fired = Instant.parse("2026-11-29T15:00:00Z");
        var now = Instant.parse("2026-11-29T17:30:00Z");
        assertEquals(Instant.parse("2026-11-29T18:00:00Z"), SlotPlan.afterFired(HOURLY, fired, now));
    }

    @Test
    void a_timer_that_fired_early_still_moves_past_its_slot() {
        var fired = Instant.parse("2026-11-29T15:00:00Z");
        var now = Instant.parse("2026-11-29T14:59:59.990Z");
        assertEquals(Instant.parse("2026-11-29T16:00:00Z"), SlotPlan.afterFired(HOURLY, fired, now));
    }

    @Test
    void daily_catch_up_in_the_environment_zone() {
        var berlin = ZoneId.of("Europe/Berlin");
        var daily = new RetrySchedule(Frequency.DAILY, LocalTime.of(9, 0), 23, berlin, Instant.parse("2026-11-20T10:00:00Z"));
        // down for days; now 2026-11-29 12:00 Berlin (11:00Z): the newest slot is 09:00 Berlin today = 08:00Z
        var now = Instant.parse("2026-11-29T11:00:00Z");
        assertEquals(Optional.of(Instant.parse("2026-11-29T08:00:00Z")),
                SlotPlan.catchUp(daily, Optional.of(Instant.parse("2026-11-25T08:00:00Z")), now));
    }
}
