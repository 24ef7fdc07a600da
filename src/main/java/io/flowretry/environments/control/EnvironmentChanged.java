package io.flowretry.environments.control;

/** Fired (CDI event, after the change is stored) when an environment's activity or time zone changes. */
public record EnvironmentChanged(long environmentId) {
}
