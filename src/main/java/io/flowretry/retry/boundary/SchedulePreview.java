package io.flowretry.retry.boundary;

import io.flowretry.deployments.entity.Frequency;
import io.flowretry.retry.control.RetrySchedule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The deploy wizard's preview of a retry schedule, computed by the very {@link RetrySchedule} the
 * timers run (no second schedule implementation): the next slots of settings not deployed yet.
 */
@ApplicationScoped
public class SchedulePreview {

    /** What the settings do: the next {@code n} runs, and (DAILY) each day's run times. */
    public record Preview(List<Instant> next, List<LocalTime> dailyTimes) {
    }

    @Inject
    Clock clock;

    /**
     * As if deployed now (the application's clock).
     *
     * @throws IllegalArgumentException if the settings are incomplete or out of range (as a deploy would refuse them)
     */
    public Preview of(Frequency frequency, LocalTime dailyAt, int intervalHours, ZoneId zone, int n) {
        var now = clock.instant();
        var schedule = new RetrySchedule(frequency, dailyAt, intervalHours, zone, now);
        return new Preview(schedule.nextSlots(now, n), schedule.dailyTimes());
    }
}
