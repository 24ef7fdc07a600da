package io.flowretry.platform.control;

import java.time.Instant;

/** Fired when the test clock was set (timers re-arm: their delays were computed from the old "now"). */
public record ClockMoved(Instant now) {
}
