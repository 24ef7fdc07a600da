package io.flowretry.deployments.entity;

/**
 * How the automatic retry of a deployment is scheduled.
 * <ul>
 * <li>{@link #DAILY}: every calendar day at a wall-clock time ({@code dailyAt}, in the
 * environment's time zone), then every {@code intervalHours} while still on that day.</li>
 * <li>{@link #HOURLY}: every {@code intervalHours} of elapsed time after the deployment.</li>
 * </ul>
 * See {@code io.flowretry.retry.control.RetrySchedule} for the exact rules.
 */
public enum Frequency {
    DAILY,
    HOURLY
}
