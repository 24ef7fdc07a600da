package io.flowretry.platform.control;

/** Fired on every agent when another one changed a deployment, an environment or an attachment: timers re-arm from the database. */
public record FleetChanged(long scheduleVersion) {
}
