package io.flowretry.retry.control;

/** The resync job's pause (its job context's transient data): an app of the flow is DOWN; the reader stops, the listener ends the run PAUSED. */
public record Paused(String reason) {
}
