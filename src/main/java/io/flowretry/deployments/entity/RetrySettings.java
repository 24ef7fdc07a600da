package io.flowretry.deployments.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.time.LocalTime;
import java.util.Objects;

/**
 * The Sync &amp; Retry wizard's retry settings of a deployment. Defaults: MANUAL, HOURLY, every
 * 1 hour, time lapse 0 minutes, batch size 100. {@code dailyAt} (the environment's wall-clock
 * time) is set only with {@link Frequency#DAILY}. Ranges are checked by the deployments facade:
 * interval 1–23 hours, time lapse ≥ 0 minutes, batch size 1–10,000.
 */
@Embeddable
public class RetrySettings {

    public static final int DEFAULT_INTERVAL_HOURS = 1;
    public static final int DEFAULT_TIME_LAPSE_MINUTES = 0;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int MAX_BATCH_SIZE = 10_000;

    @Enumerated(EnumType.STRING)
    @Column(name = "retry_mode")
    private RetryMode mode;

    @Enumerated(EnumType.STRING)
    @Column(name = "retry_frequency")
    private Frequency frequency;

    @Convert(converter = HourMinuteConverter.class)
    @Column(name = "retry_daily_at")
    private LocalTime dailyAt;

    @Column(name = "retry_interval_hours")
    private int intervalHours;

    @Column(name = "retry_time_lapse_minutes")
    private int timeLapseMinutes;

    @Column(name = "retry_batch_size")
    private int batchSize;

    protected RetrySettings() {
    }

    /** Null arguments take the defaults; {@code dailyAt} is kept only with DAILY (minutes precision). */
    public RetrySettings(RetryMode mode, Frequency frequency, LocalTime dailyAt,
                         Integer intervalHours, Integer timeLapseMinutes, Integer batchSize) {
        this.mode = mode == null ? RetryMode.MANUAL : mode;
        this.frequency = frequency == null ? Frequency.HOURLY : frequency;
        this.dailyAt = this.frequency == Frequency.DAILY && dailyAt != null ? dailyAt.withSecond(0).withNano(0) : null;
        this.intervalHours = intervalHours == null ? DEFAULT_INTERVAL_HOURS : intervalHours;
        this.timeLapseMinutes = timeLapseMinutes == null ? DEFAULT_TIME_LAPSE_MINUTES : timeLapseMinutes;
        this.batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    public static RetrySettings defaults() {
        return new RetrySettings(null, null, null, null, null, null);
    }

    public RetryMode getMode() {
        return mode;
    }

    public Frequency getFrequency() {
        return frequency;
    }

    /** The wall-clock time of the daily retry in the environment's time zone; null unless DAILY. */
    public LocalTime getDailyAt() {
        return dailyAt;
    }

    public int getIntervalHours() {
        return intervalHours;
    }

    public int getTimeLapseMinutes() {
        return timeLapseMinutes;
    }

    public int getBatchSize() {
        return batchSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrySettings r && mode == r.mode && frequency == r.frequency && Objects.equals(dailyAt, r.dailyAt)
                && intervalHours == r.intervalHours && timeLapseMinutes == r.timeLapseMinutes && batchSize == r.batchSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, frequency, dailyAt, intervalHours, timeLapseMinutes, batchSize);
    }

    @Override
    public String toString() {
        return mode + " " + frequency + (dailyAt == null ? "" : " at " + dailyAt) + " every " + intervalHours + " h, lapse "
                + timeLapseMinutes + " min, batch " + batchSize;
    }
}
