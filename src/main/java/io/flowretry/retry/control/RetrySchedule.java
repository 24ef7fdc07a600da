package io.flowretry.retry.control;

import io.flowretry.deployments.entity.Frequency;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The slots at which the automatic retry of one deployment runs. Immutable and thread-safe.
 *
 * <h2>Rules</h2>
 * Only slots strictly after the {@code anchor} (the deployment time, to the minute: a flow deployed
 * at 14:00:37 retries hourly at 15:00:00, 16:00:00, …) exist. Whole-minute slots are also what every
 * server sharing the database computes alike, so the slot claim (unique per deployment and slot)
 * matches across servers.
 * <ul>
 * <li><b>HOURLY</b>: {@code anchor + k × intervalHours} for k ≥ 1. This is elapsed time, so
 * daylight-saving changes do not matter and {@code dailyAt} is ignored (normalised to
 * {@code null}).</li>
 * <li><b>DAILY</b>: on every calendar day in {@code zone}, at {@code dailyAt} and then every
 * {@code intervalHours} after it while the wall-clock time stays on that same day. For example
 * 09:00 with interval 6 gives 09:00, 15:00 and 21:00; 01:00 with interval 23 gives 01:00 only;
 * 00:30 with interval 23 gives 00:30 and 23:30. The hours are added in local wall-clock time, so
 * 01:00 + 6h is 07:00 local even on the day the clocks change (only 5 or 7 hours elapse).</li>
 * </ul>
 *
 * <h2>Daylight-saving time (DAILY only)</h2>
 * A local slot time is turned into an instant as {@link ZonedDateTime#of} does:
 * <ul>
 * <li><b>Gap</b> (spring forward; e.g. Europe/Berlin 2026-03-29 02:30 does not exist): the
 * slot runs at the local time shifted forward by the length of the gap, i.e. 03:30 CEST.</li>
 * <li><b>Overlap</b> (fall back; e.g. Europe/Berlin 2026-10-25 02:30 happens twice): the slot
 * runs <em>once</em>, at the earlier offset (02:30 CEST = 00:30Z); the second 02:30 is no
 * slot.</li>
 * <li>Local slots that map to the same instant (e.g. 02:30 shifted to 03:30 while 03:30 is a
 * slot too) are one slot: the retry runs once.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * Both queries are O(1) regardless of how long ago the anchor was: HOURLY divides the elapsed
 * time, DAILY looks only at the local days around the asked instant.
 */
public final class RetrySchedule {

    private static final long NANOS_PER_DAY = Duration.ofDays(1).toNanos();

    private final Frequency frequency;
    private final LocalTime dailyAt;
    private final int intervalHours;
    private final ZoneId zone;
    private final Instant anchor;
    private final Duration interval;
    /** DAILY: the wall-clock slot times of any day, ascending. */
    private final List<LocalTime> dailyTimes;

    /**
     * @param frequency     DAILY or HOURLY
     * @param dailyAt       the first slot of each day (DAILY, required); ignored for HOURLY
     * @param intervalHours 1..23
     * @param zone          the environment's time zone (wall clock of DAILY slots)
     * @param anchor        the deployment time (truncated to the minute); slots are strictly after it
     * @throws IllegalArgumentException if an argument is missing or out of range
     */
    public RetrySchedule(Frequency frequency, LocalTime dailyAt, int intervalHours, ZoneId zone, Instant anchor) {
        require(frequency != null, "frequency is required");
        require(intervalHours >= 1 && intervalHours <= 23, "intervalHours must be between 1 and 23, was " + intervalHours);
        require(zone != null, "zone is required");
        require(anchor != null, "anchor is required");
        require(frequency != Frequency.DAILY || dailyAt != null, "dailyAt is required for a DAILY schedule");
        this.frequency = frequency;
        this.dailyAt = frequency == Frequency.DAILY ? dailyAt : null;
        this.intervalHours = intervalHours;
        this.zone = zone;
        this.anchor = anchor.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        this.interval = Duration.ofHours(intervalHours);
        this.dailyTimes = frequency == Frequency.DAILY ? dailyTimes(dailyAt, interval) : List.of();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static List<LocalTime> dailyTimes(LocalTime first, Duration interval) {
        List<LocalTime> times = new ArrayList<>();
        for (long nanos = first.toNanoOfDay(); nanos < NANOS_PER_DAY; nanos += interval.toNanos()) {
            times.add(LocalTime.ofNanoOfDay(nanos));
        }
        return List.copyOf(times);
    }

    /** The first slot strictly after {@code t} (and after the anchor). */
    public Instant nextSlotAfter(Instant t) {
        Objects.requireNonNull(t, "t");
        Instant from = t.isAfter(anchor) ? t : anchor;
        if (frequency == Frequency.HOURLY) {
            long k = Duration.between(anchor, from).dividedBy(interval) + 1;
            return anchor.plus(interval.multipliedBy(k));
        }
        // The day before from's local date can still hold a later instant (an overlap around
        // midnight); every day has a slot, so a few days always suffice.
        Instant best = null;
        LocalDate firstFound = null;
        for (LocalDate day = localDate(from).minusDays(1); firstFound == null || !day.isAfter(firstFound.plusDays(1)); day = day.plusDays(1)) {
            for (LocalTime time : dailyTimes) {
                Instant slot = ZonedDateTime.of(day, time, zone).toInstant();
                if (slot.isAfter(from) && (best == null || slot.isBefore(best))) {
                    best = slot;
                    if (firstFound == null) {
                        firstFound = day;
                    }
                }
            }
        }
        return best;
    }

    /** The next {@code n} slots strictly after {@code t}, in order (the deploy wizard's preview). */
    public List<Instant> nextSlots(Instant t, int n) {
        var slots = new ArrayList<Instant>(n);
        for (Instant at = t; slots.size() < n; ) {
            at = nextSlotAfter(at);
            slots.add(at);
        }
        return List.copyOf(slots);
    }

    /** DAILY: the wall-clock times of each day's slots ({@code dailyAt}, then every interval until midnight); HOURLY: none. */
    public List<LocalTime> dailyTimes() {
        return dailyTimes;
    }

    /**
     * The newest slot at or before {@code t}, used to catch up missed slots with a single run;
     * empty if no slot has passed since the anchor.
     */
    public Optional<Instant> latestSlotAtOrBefore(Instant t) {
        Objects.requireNonNull(t, "t");
        if (!t.isAfter(anchor)) {
            return Optional.empty();
        }
        if (frequency == Frequency.HOURLY) {
            long k = Duration.between(anchor, t).dividedBy(interval);
            return k == 0 ? Optional.empty() : Optional.of(anchor.plus(interval.multipliedBy(k)));
        }
        Instant best = null;
        LocalDate firstFound = null;
        LocalDate lastDay = localDate(anchor).minusDays(1);
        for (LocalDate day = localDate(t).plusDays(1);
             !day.isBefore(lastDay) && (firstFound == null || !day.isBefore(firstFound.minusDays(1)));
             day = day.minusDays(1)) {
            for (LocalTime time : dailyTimes) {
                Instant slot = ZonedDateTime.of(day, time, zone).toInstant();
                if (slot.isAfter(anchor) && !slot.isAfter(t) && (best == null || slot.isAfter(best))) {
                    best = slot;
                    if (firstFound == null) {
                        firstFound = day;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private LocalDate localDate(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }

    public Frequency frequency() {
        return frequency;
    }

    /** The first slot of each day for DAILY; {@code null} for HOURLY. */
    public LocalTime dailyAt() {
        return dailyAt;
    }

    public int intervalHours() {
        return intervalHours;
    }

    public ZoneId zone() {
        return zone;
    }

    public Instant anchor() {
        return anchor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrySchedule s
                && frequency == s.frequency
                && Objects.equals(dailyAt, s.dailyAt)
                && intervalHours == s.intervalHours
                && zone.equals(s.zone)
                && anchor.equals(s.anchor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frequency, dailyAt, intervalHours, zone, anchor);
    }

    @Override
    public String toString() {
        return "RetrySchedule[" + frequency
                + (dailyAt != null ? " at " + dailyAt : "")
                + " every " + intervalHours + "h, zone " + zone + ", anchor " + anchor + "]";
    }
}
