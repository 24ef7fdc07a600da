package io.flowretry.deployments.control;

import io.flowretry.deployments.entity.Frequency;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.kernel.FieldError;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SettingsCheckTest {

    private static List<String> fields(SyncSettings sync, RetrySettings retry) {
        return SettingsCheck.problems(sync, retry).stream().map(FieldError::field).toList();
    }

    private static RetrySettings hourly(Integer interval, Integer lapse, Integer batch) {
        return new RetrySettings(RetryMode.AUTO, Frequency.HOURLY, null, interval, lapse, batch);
    }

    @Test
    void defaults_are_manual_hourly_every_hour_no_lapse_batch_100_and_valid() {
        var d = RetrySettings.defaults();
        assertEquals(RetryMode.MANUAL, d.getMode());
        assertEquals(Frequency.HOURLY, d.getFrequency());
        assertEquals(1, d.getIntervalHours());
        assertEquals(0, d.getTimeLapseMinutes());
        assertEquals(100, d.getBatchSize());
        assertEquals(List.of(), fields(SyncSettings.manual(), d));
        assertEquals(List.of(), fields(null, null));
    }

    @Test
    void interval_is_1_to_23_hours() {
        assertEquals(List.of("retry.intervalHours"), fields(null, hourly(0, null, null)));
        assertEquals(List.of(), fields(null, hourly(1, null, null)));
        assertEquals(List.of(), fields(null, hourly(23, null, null)));
        assertEquals(List.of("retry.intervalHours"), fields(null, hourly(24, null, null)));
    }

    @Test
    void time_lapse_is_not_negative_and_batch_size_is_1_to_10000() {
        assertEquals(List.of("retry.timeLapseMinutes"), fields(null, hourly(null, -1, null)));
        assertEquals(List.of(), fields(null, hourly(null, 0, 1)));
        assertEquals(List.of(), fields(null, hourly(null, null, 10_000)));
        assertEquals(List.of("retry.batchSize"), fields(null, hourly(null, null, 0)));
        assertEquals(List.of("retry.batchSize"), fields(null, hourly(null, null, 10_001)));
    }

    @Test
    void daily_needs_a_time_and_hourly_drops_it() {
        assertEquals(List.of("retry.dailyAt"), fields(null, new RetrySettings(RetryMode.AUTO, Frequency.DAILY, null, 2, 0, 10)));
        var daily = new RetrySettings(RetryMode.AUTO, Frequency.DAILY, LocalTime.of(2, 30, 15), 2, 0, 10);
        assertEquals(List.of(), fields(null, daily));
        assertEquals(LocalTime.of(2, 30), daily.getDailyAt(), "minutes precision");
        assertNull(new RetrySettings(RetryMode.AUTO, Frequency.HOURLY, LocalTime.NOON, 2, 0, 10).getDailyAt());
    }

    @Test
    void auto_sync_needs_at_least_one_minute() {
        assertEquals(List.of("sync.everyMinutes"), fields(new SyncSettings(SyncMode.AUTO, null), null));
        assertEquals(List.of("sync.everyMinutes"), fields(new SyncSettings(SyncMode.AUTO, 0), null));
        assertEquals(List.of(), fields(new SyncSettings(SyncMode.AUTO, 1), null));
        assertNull(new SyncSettings(SyncMode.MANUAL, 5).getEveryMinutes());
    }
}
