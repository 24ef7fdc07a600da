package io.flowretry.retry.control;

import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.deployments.entity.Frequency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static io.flowretry.deployments.entity.Frequency.DAILY;
import static io.flowretry.deployments.entity.Frequency.HOURLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static RetrySchedule hourly(int interval, String anchor) {
        return new RetrySchedule(HOURLY, null, interval, UTC, at(anchor));
    }

    private static RetrySchedule daily(String dailyAt, int interval, ZoneId zone, String anchor) {
        return new RetrySchedule(DAILY, LocalTime.parse(dailyAt), interval, zone, at(anchor));
    }

    // --- the customer's example ---

    @Test
    void customerExample_failedAt1400_lapse20_hourly1_isPickedByThe1500Run() {
        Instant deployedAndFirstRun = at("2026-11-29T14:00:00Z");
        RetrySchedule schedule = new RetrySchedule(HOURLY, null, 1, UTC, deployedAndFirstRun);
        Instant failedAt = at("2026-11-29T14:00:00Z");

        var item = new io.flowretry.bucket.entity.BucketItem(1, 1, "7", "CRM", failedAt);
        item.attempted(io.flowretry.bucket.entity.Trigger.MAIN, false, ErrorClass.TRANSIENT, "HTTP 503", failedAt, 20);
        assertEquals(at("2026-11-29T14:20:00Z"), item.dueAt(20));

        Instant run = schedule.nextSlotAfter(deployedAndFirstRun);
        assertEquals(at("2026-11-29T15:00:00Z"), run);
        assertTrue(item.isDue(run, 20));
        assertFalse(item.isDue(at("2026-11-29T14:10:00Z"), 20));
        assertEquals(Optional.empty(), schedule.latestSlotAtOrBefore(at("2026-11-29T14:59:59Z")),
                "no retry slot before 15:00: deployment time itself is not a slot");
    }

    // --- HOURLY ---

    @Test
    void hourly_firstSlotIsOneIntervalAfterAnchor() {
        RetrySchedule s = hourly(3, "2026-05-01T10:15:00Z");
        assertEquals(at("2026-05-01T13:15:00Z"), s.nextSlotAfter(at("2026-05-01T10:15:00Z")));
        assertEquals(at("2026-05-01T13:15:00Z"), s.nextSlotAfter(at("2026-05-01T13:14:59.999Z")));
    }

    @Test
    void hourly_tOnASlot_returnsTheFollowingSlot() {
        RetrySchedule s = hourly(3, "2026-05-01T10:15:00Z");
        assertEquals(at("2026-05-01T16:15:00Z"), s.nextSlotAfter(at("2026-05-01T13:15:00Z")));
    }

    @Test
    void hourly_tBeforeAnchor_returnsFirstSlot() {
        RetrySchedule s = hourly(5, "2026-05-01T10:00:00Z");
        assertEquals(at("2026-05-01T15:00:00Z"), s.nextSlotAfter(at("2020-01-01T00:00:00Z")));
    }

    @Test
    void hourly_isElapsedTime_acrossSpringForward() {
        // 2026-03-29 01:30 CET; one hour later the Berlin clock shows 03:30 CEST
        RetrySchedule s = new RetrySchedule(HOURLY, null, 1, BERLIN, at("2026-03-29T00:30:00Z"));
        assertEquals(at("2026-03-29T01:30:00Z"), s.nextSlotAfter(at("2026-03-29T00:30:00Z")));
        assertEquals(at("2026-03-29T02:30:00Z"), s.nextSlotAfter(at("2026-03-29T01:30:00Z")));
    }

    @Test
    void hourly_isElapsedTime_acrossFallBack() {
        // New York 2026-11-01 00:30 EDT, interval 2: 02:30 local would be 3 elapsed hours
        RetrySchedule s = new RetrySchedule(HOURLY, null, 2, NEW_YORK, at("2026-11-01T04:30:00Z"));
        assertEquals(at("2026-11-01T06:30:00Z"), s.nextSlotAfter(at("2026-11-01T04:30:00Z")));
        assertEquals(at("2026-11-01T08:30:00Z"), s.nextSlotAfter(at("2026-11-01T06:30:00Z")));
    }

    @Test
    void hourly_ignoresZoneAndDailyAt() {
        RetrySchedule s = new RetrySchedule(HOURLY, LocalTime.of(9, 0), 2, KOLKATA, at("2026-06-01T03:45:00Z"));
        assertNull(s.dailyAt());
        assertEquals(at("2026-06-01T05:45:00Z"), s.nextSlotAfter(at("2026-06-01T04:00:00Z")));
    }

    @Test
    void hourly_anchorYearsAgo_isComputedByDivision() {
        Instant anchor = at("2000-01-01T00:00:00Z");
        RetrySchedule s = new RetrySchedule(HOURLY, null, 7, UTC, anchor);
        long n = 30_000; // ~24 years of 7-hour slots
        Instant t = anchor.plus(Duration.ofHours(7 * n + 3));
        Instant next = assertTimeoutPreemptively(Duration.ofMillis(200), () -> s.nextSlotAfter(t));
        assertEquals(anchor.plus(Duration.ofHours(7 * (n + 1))), next);
        assertEquals(Optional.of(anchor.plus(Duration.ofHours(7 * n))), s.latestSlotAtOrBefore(t));
    }

    @Test
    void hourly_latestSlotAtOrBefore() {
        RetrySchedule s = hourly(1, "2026-11-29T14:00:00Z");
        assertEquals(Optional.empty(), s.latestSlotAtOrBefore(at("2026-11-29T14:00:00Z")));
        assertEquals(Optional.empty(), s.latestSlotAtOrBefore(at("2026-11-28T00:00:00Z")));
        assertEquals(Optional.of(at("2026-11-29T15:00:00Z")), s.latestSlotAtOrBefore(at("2026-11-29T15:00:00Z")));
        // down for three days: one catch-up run for the newest missed slot
        assertEquals(Optional.of(at("2026-12-02T16:00:00Z")), s.latestSlotAtOrBefore(at("2026-12-02T16:40:00Z")));
    }

    // --- DAILY, UTC and non-hour offsets ---

    @Test
    void daily_interval23_isOnceADay() {
        RetrySchedule s = daily("09:00", 23, UTC, "2026-06-01T10:00:00Z");
        assertEquals(at("2026-06-02T09:00:00Z"), s.nextSlotAfter(at("2026-06-01T10:00:00Z")));
        assertEquals(at("2026-06-03T09:00:00Z"), s.nextSlotAfter(at("2026-06-02T09:00:00Z")));
    }

    @Test
    void daily_interval23_fromMidnightGivesTwoSlots() {
        // 00:30 + 23h = 23:30 is still the same calendar day
        RetrySchedule s = daily("00:30", 23, UTC, "2026-06-01T00:00:00Z");
        assertEquals(at("2026-06-01T00:30:00Z"), s.nextSlotAfter(at("2026-06-01T00:00:00Z")));
        assertEquals(at("2026-06-01T23:30:00Z"), s.nextSlotAfter(at("2026-06-01T00:30:00Z")));
        assertEquals(at("2026-06-02T00:30:00Z"), s.nextSlotAfter(at("2026-06-01T23:30:00Z")));
    }

    @Test
    void daily_0900_every6Hours_gives0900_1500_2100() {
        RetrySchedule s = daily("09:00", 6, UTC, "2026-06-01T00:00:00Z");
        Instant t = at("2026-06-01T00:00:00Z");
        List<String> expected = List.of("2026-06-01T09:00:00Z", "2026-06-01T15:00:00Z",
                "2026-06-01T21:00:00Z", "2026-06-02T09:00:00Z");
        for (String e : expected) {
            t = s.nextSlotAfter(t);
            assertEquals(at(e), t);
        }
    }

    @Test
    void daily_slotAtTheAnchorDoesNotCount() {
        RetrySchedule s = daily("09:00", 6, UTC, "2026-06-01T09:00:00Z");
        assertEquals(at("2026-06-01T15:00:00Z"), s.nextSlotAfter(at("2026-06-01T09:00:00Z")));
        assertEquals(at("2026-06-01T15:00:00Z"), s.nextSlotAfter(at("2026-05-01T00:00:00Z")));
        assertEquals(Optional.empty(), s.latestSlotAtOrBefore(at("2026-06-01T14:59:00Z")));
    }

    @Test
    void daily_latestSlotAtOrBefore_catchUpAfterDowntime() {
        RetrySchedule s = daily("09:00", 6, UTC, "2026-01-01T00:00:00Z");
        assertEquals(Optional.of(at("2026-06-10T09:00:00Z")), s.latestSlotAtOrBefore(at("2026-06-10T12:00:00Z")));
        assertEquals(Optional.of(at("2026-06-10T15:00:00Z")), s.latestSlotAtOrBefore(at("2026-06-10T15:00:00Z")));
        assertEquals(Optional.of(at("2026-06-09T21:00:00Z")), s.latestSlotAtOrBefore(at("2026-06-10T08:59:59Z")));
        assertEquals(Optional.empty(), s.latestSlotAtOrBefore(at("2025-12-31T00:00:00Z")));
    }

    @Test
    void daily_kolkata_halfHourOffset() {
        // 09:00 IST = 03:30Z, 17:00 IST = 11:30Z
        RetrySchedule s = daily("09:00", 8, KOLKATA, "2026-06-01T00:00:00Z");
        assertEquals(at("2026-06-01T03:30:00Z"), s.nextSlotAfter(at("2026-06-01T00:00:00Z")));
        assertEquals(at("2026-06-01T11:30:00Z"), s.nextSlotAfter(at("2026-06-01T04:00:00Z")));
        assertEquals(at("2026-06-02T03:30:00Z"), s.nextSlotAfter(at("2026-06-01T11:30:00Z")));
        assertEquals(Optional.of(at("2026-06-01T11:30:00Z")), s.latestSlotAtOrBefore(at("2026-06-01T20:00:00Z")));
    }

    @Test
    void daily_kolkata_slotBeforeUtcMidnightBelongsToNextLocalDay() {
        // 01:00 IST on 2026-06-02 is 2026-06-01T19:30Z
        RetrySchedule s = daily("01:00", 23, KOLKATA, "2026-06-01T00:00:00Z");
        assertEquals(at("2026-06-01T19:30:00Z"), s.nextSlotAfter(at("2026-06-01T00:00:00Z")));
        assertEquals(at("2026-06-02T19:30:00Z"), s.nextSlotAfter(at("2026-06-01T19:30:00Z")));
    }

    @Test
    void daily_anchorYearsAgo_isFast() {
        RetrySchedule s = daily("09:00", 6, BERLIN, "2000-01-01T00:00:00Z");
        Instant next = assertTimeoutPreemptively(Duration.ofMillis(200),
                () -> s.nextSlotAfter(at("2026-07-01T08:00:00Z")));
        assertEquals(at("2026-07-01T13:00:00Z"), next); // 15:00 CEST
        Optional<Instant> latest = assertTimeoutPreemptively(Duration.ofMillis(200),
                () -> s.latestSlotAtOrBefore(at("2026-07-01T08:00:00Z")));
        assertEquals(Optional.of(at("2026-07-01T07:00:00Z")), latest); // 09:00 CEST
    }

    // --- DAILY across DST: Europe/Berlin ---

    @Test
    void berlin_springForwardGap_slotShiftsForwardByTheGap() {
        // 2026-03-29 02:30 does not exist in Berlin: runs at 03:30 CEST = 01:30Z
        RetrySchedule s = daily("02:30", 23, BERLIN, "2026-03-01T00:00:00Z");
        assertEquals(at("2026-03-28T01:30:00Z"), s.nextSlotAfter(at("2026-03-28T00:00:00Z"))); // 02:30 CET
        assertEquals(at("2026-03-29T01:30:00Z"), s.nextSlotAfter(at("2026-03-28T01:30:00Z"))); // 03:30 CEST
        assertEquals(at("2026-03-30T00:30:00Z"), s.nextSlotAfter(at("2026-03-29T01:30:00Z"))); // 02:30 CEST
        assertEquals(Optional.of(at("2026-03-29T01:30:00Z")), s.latestSlotAtOrBefore(at("2026-03-29T12:00:00Z")));
    }

    @Test
    void berlin_springForwardGap_shiftedSlotAndRealSlotRunOnce() {
        // 01:30 every hour: 01:30 CET, 02:30 (gap → 03:30 CEST), 03:30 CEST (same instant), 04:30 CEST
        RetrySchedule s = daily("01:30", 1, BERLIN, "2026-03-28T12:00:00Z");
        assertEquals(at("2026-03-29T00:30:00Z"), s.nextSlotAfter(at("2026-03-28T23:30:00Z")));
        assertEquals(at("2026-03-29T01:30:00Z"), s.nextSlotAfter(at("2026-03-29T00:30:00Z")));
        assertEquals(at("2026-03-29T02:30:00Z"), s.nextSlotAfter(at("2026-03-29T01:30:00Z")));
    }

    @Test
    void berlin_fallBackOverlap_runsOnceAtTheEarlierOffset() {
        // 2026-10-25 02:30 happens at 00:30Z (CEST) and 01:30Z (CET): only the first is a slot
        RetrySchedule s = daily("02:30", 23, BERLIN, "2026-10-01T00:00:00Z");
        assertEquals(at("2026-10-25T00:30:00Z"), s.nextSlotAfter(at("2026-10-24T12:00:00Z")));
        assertEquals(at("2026-10-26T01:30:00Z"), s.nextSlotAfter(at("2026-10-25T00:30:00Z"))); // 02:30 CET next day
        assertEquals(Optional.of(at("2026-10-25T00:30:00Z")), s.latestSlotAtOrBefore(at("2026-10-25T01:30:00Z")));
    }

    @Test
    void berlin_intervalIsWallClockOnTheDstDay() {
        // 01:00 CET, then 07:00 / 13:00 / 19:00 CEST: only 5 hours elapse to the second slot
        RetrySchedule s = daily("01:00", 6, BERLIN, "2026-03-28T12:00:00Z");
        Instant t = at("2026-03-28T18:00:00Z"); // 19:00 CET, the last slot of the 28th
        for (String e : List.of("2026-03-29T00:00:00Z", "2026-03-29T05:00:00Z", "2026-03-29T11:00:00Z",
                "2026-03-29T17:00:00Z", "2026-03-29T23:00:00Z")) {
            t = s.nextSlotAfter(t);
            assertEquals(at(e), t);
        }
        // and 7 hours on the fall-back day: 01:00 CEST = 23:00Z, 07:00 CET = 06:00Z
        RetrySchedule autumn = daily("01:00", 6, BERLIN, "2026-10-24T12:00:00Z");
        assertEquals(at("2026-10-24T23:00:00Z"), autumn.nextSlotAfter(at("2026-10-24T17:00:00Z"))); // after 19:00 CEST
        assertEquals(at("2026-10-25T06:00:00Z"), autumn.nextSlotAfter(at("2026-10-24T23:00:00Z")));
    }

    // --- DAILY across DST: America/New_York ---

    @Test
    void newYork_springForwardGap_slotShiftsForwardByTheGap() {
        // 2026-03-08 02:30 does not exist: runs at 03:30 EDT = 07:30Z
        RetrySchedule s = daily("02:30", 23, NEW_YORK, "2026-03-01T00:00:00Z");
        assertEquals(at("2026-03-07T07:30:00Z"), s.nextSlotAfter(at("2026-03-07T00:00:00Z"))); // 02:30 EST
        assertEquals(at("2026-03-08T07:30:00Z"), s.nextSlotAfter(at("2026-03-07T07:30:00Z"))); // 03:30 EDT
        assertEquals(at("2026-03-09T06:30:00Z"), s.nextSlotAfter(at("2026-03-08T07:30:00Z"))); // 02:30 EDT
    }

    @Test
    void newYork_fallBackOverlap_runsOnceAtTheEarlierOffset() {
        // 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST)
        RetrySchedule s = daily("01:30", 23, NEW_YORK, "2026-10-01T00:00:00Z");
        assertEquals(at("2026-11-01T05:30:00Z"), s.nextSlotAfter(at("2026-10-31T12:00:00Z")));
        assertEquals(at("2026-11-02T06:30:00Z"), s.nextSlotAfter(at("2026-11-01T05:30:00Z")));
        assertEquals(Optional.of(at("2026-11-01T05:30:00Z")), s.latestSlotAtOrBefore(at("2026-11-01T06:45:00Z")));
    }

    @Test
    void newYork_fallBackOverlap_hourlyWallClockSlotsSkipTheRepeatedHour() {
        // 00:30 EDT, 01:30 EDT, 02:30 EST: the second 01:30 (06:30Z) is no slot
        RetrySchedule s = daily("00:30", 1, NEW_YORK, "2026-10-31T12:00:00Z");
        assertEquals(at("2026-11-01T04:30:00Z"), s.nextSlotAfter(at("2026-11-01T04:00:00Z")));
        assertEquals(at("2026-11-01T05:30:00Z"), s.nextSlotAfter(at("2026-11-01T04:30:00Z")));
        assertEquals(at("2026-11-01T07:30:00Z"), s.nextSlotAfter(at("2026-11-01T05:30:00Z")));
        assertEquals(Optional.of(at("2026-11-01T05:30:00Z")), s.latestSlotAtOrBefore(at("2026-11-01T07:29:00Z")));
    }

    // --- cross-check against a brute-force list of every slot of a year ---

    @ParameterizedTest(name = "{0} {1} every {2}h")
    @CsvSource({
            "Europe/Berlin, 00:00, 1",
            "Europe/Berlin, 02:30, 6",
            "America/New_York, 01:30, 5",
            "America/New_York, 23:00, 23",
            "Asia/Kolkata, 09:00, 8",
            "UTC, 00:00, 23",
            "Australia/Lord_Howe, 01:45, 1",
            "Australia/Lord_Howe, 02:15, 1",
    })
    void daily_matchesBruteForce(String zoneId, String dailyAt, int interval) {
        ZoneId zone = ZoneId.of(zoneId);
        Instant anchor = at("2026-01-01T10:17:00Z");
        RetrySchedule s = new RetrySchedule(DAILY, LocalTime.parse(dailyAt), interval, zone, anchor);
        TreeSet<Instant> all = new TreeSet<>();
        for (LocalDate d = LocalDate.of(2025, 12, 30); d.isBefore(LocalDate.of(2027, 1, 3)); d = d.plusDays(1)) {
            for (LocalTime lt = LocalTime.parse(dailyAt); ; lt = lt.plusHours(interval)) {
                Instant slot = ZonedDateTime.of(d, lt, zone).toInstant();
                if (slot.isAfter(anchor)) {
                    all.add(slot);
                }
                if (lt.toSecondOfDay() + interval * 3600L >= 86_400) {
                    break;
                }
            }
        }
        List<Instant> probes = new ArrayList<>();
        for (Instant t = at("2025-12-31T00:00:00Z"); t.isBefore(at("2026-12-31T00:00:00Z")); t = t.plus(Duration.ofMinutes(131))) {
            probes.add(t);
        }
        // densely around each offset change of the year
        for (ZoneOffsetTransition tr = zone.getRules().nextTransition(anchor);
             tr != null && tr.getInstant().isBefore(at("2026-12-31T00:00:00Z"));
             tr = zone.getRules().nextTransition(tr.getInstant())) {
            for (Instant t = tr.getInstant().minus(Duration.ofDays(1)); t.isBefore(tr.getInstant().plus(Duration.ofDays(1))); t = t.plus(Duration.ofMinutes(5))) {
                probes.add(t);
            }
        }
        for (Instant t : probes) {
            assertEquals(all.higher(t), s.nextSlotAfter(t), "nextSlotAfter " + t);
            assertEquals(Optional.ofNullable(all.floor(t)), s.latestSlotAtOrBefore(t), "latestSlotAtOrBefore " + t);
        }
    }

    // --- validation ---

    @ParameterizedTest
    @CsvSource({"0", "24", "-1"})
    void rejectsIntervalOutsideOneTo23(int interval) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(HOURLY, null, interval, UTC, Instant.EPOCH));
        assertTrue(e.getMessage().contains("intervalHours must be between 1 and 23"), e.getMessage());
    }

    @Test
    void rejectsDailyWithoutDailyAt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(DAILY, null, 6, UTC, Instant.EPOCH));
        assertEquals("dailyAt is required for a DAILY schedule", e.getMessage());
    }

    @Test
    void rejectsMissingArguments() {
        assertEquals("frequency is required", assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(null, null, 1, UTC, Instant.EPOCH)).getMessage());
        assertEquals("zone is required", assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(HOURLY, null, 1, null, Instant.EPOCH)).getMessage());
        assertEquals("anchor is required", assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(HOURLY, null, 1, UTC, null)).getMessage());
    }

    @Test
    void valueSemantics() {
        RetrySchedule a = daily("09:00", 6, BERLIN, "2026-06-01T00:00:00Z");
        RetrySchedule b = daily("09:00", 6, BERLIN, "2026-06-01T00:00:00Z");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(Frequency.DAILY, a.frequency());
        assertEquals(LocalTime.of(9, 0), a.dailyAt());
        assertEquals(6, a.intervalHours());
        assertEquals(BERLIN, a.zone());
        assertEquals(at("2026-06-01T00:00:00Z"), a.anchor());
    }

    @Test
    void hourly_slots_count_from_the_deployment_minute_not_its_seconds() {
        var deployedAt = Instant.parse("2026-11-29T14:00:37.512Z");
        var schedule = new RetrySchedule(HOURLY, null, 1, ZoneId.of("UTC"), deployedAt);
        assertEquals(Instant.parse("2026-11-29T15:00:00Z"), schedule.nextSlotAfter(deployedAt));
        assertEquals(Instant.parse("2026-11-29T16:00:00Z"), schedule.nextSlotAfter(Instant.parse("2026-11-29T15:00:00Z")));
    }

    @Test
    void the_wizards_preview_every_day_at_03_30_interval_1_is_hourly_until_midnight() {
        var berlin = ZoneId.of("Europe/Berlin");
        var schedule = new RetrySchedule(DAILY, java.time.LocalTime.of(3, 30), 1, berlin, Instant.parse("2026-12-02T06:10:00Z"));
        assertEquals(java.util.List.of(Instant.parse("2026-12-02T06:30:00Z"), Instant.parse("2026-12-02T07:30:00Z"),
                Instant.parse("2026-12-02T08:30:00Z"), Instant.parse("2026-12-02T09:30:00Z"), Instant.parse("2026-12-02T10:30:00Z")),
                schedule.nextSlots(Instant.parse("2026-12-02T06:10:00Z"), 5), "03:30, 04:30, … 23:30 local: the next five from 07:10 CET are 07:30 to 11:30 CET");
        assertEquals(21, schedule.dailyTimes().size(), "03:30 to 23:30");
        assertEquals(java.time.LocalTime.of(23, 30), schedule.dailyTimes().getLast());
        var once = new RetrySchedule(DAILY, java.time.LocalTime.of(3, 30), 23, berlin, Instant.parse("2026-12-02T06:10:00Z"));
        assertEquals(Instant.parse("2026-12-03T02:30:00Z"), once.nextSlots(Instant.parse("2026-12-02T06:10:00Z"), 2).getFirst());
        assertEquals(Instant.parse("2026-12-04T02:30:00Z"), once.nextSlots(Instant.parse("2026-12-02T06:10:00Z"), 2).getLast());
        assertTrue(new RetrySchedule(HOURLY, null, 6, berlin, Instant.parse("2026-12-02T06:10:00Z")).dailyTimes().isEmpty());
    }
}
