package io.flowretry.deployments.control;

import io.flowretry.deployments.entity.Frequency;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.kernel.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * The ranges of the Sync &amp; Retry settings, field names as in the REST payload: interval 1–23
 * hours, time lapse ≥ 0 minutes, batch size 1–10,000, {@code dailyAt} required with DAILY,
 * sync AUTO needs {@code everyMinutes} ≥ 1.
 */
public final class SettingsCheck {

    private SettingsCheck() {
    }

    public static List<FieldError> problems(SyncSettings sync, RetrySettings retry) {
        var errors = new ArrayList<FieldError>();
        if (sync != null && sync.getMode() == SyncMode.AUTO
                && (sync.getEveryMinutes() == null || sync.getEveryMinutes() < 1)) {
            errors.add(new FieldError("sync.everyMinutes", "must be at least 1 with mode AUTO"));
        }
        if (retry != null) {
            if (retry.getFrequency() == Frequency.DAILY && retry.getDailyAt() == null) {
                errors.add(new FieldError("retry.dailyAt", "is required with frequency DAILY (HH:mm)"));
            }
            if (retry.getIntervalHours() < 1 || retry.getIntervalHours() > 23) {
                errors.add(new FieldError("retry.intervalHours", "must be between 1 and 23"));
            }
            if (retry.getTimeLapseMinutes() < 0) {
                errors.add(new FieldError("retry.timeLapseMinutes", "must be at least 0"));
            }
            if (retry.getBatchSize() < 1 || retry.getBatchSize() > RetrySettings.MAX_BATCH_SIZE) {
                errors.add(new FieldError("retry.batchSize", "must be between 1 and " + RetrySettings.MAX_BATCH_SIZE));
            }
        }
        return errors;
    }
}
