package io.flowretry.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * How long the heartbeat of a retry run or a main execution (renewed by every chunk) stays valid:
 * a run whose heartbeat is older is dead (it no longer blocks the next run of its deployment; at
 * startup it is marked FAILED). Must be longer than one chunk takes. MicroProfile Config
 * {@code FLOWRETRY_RUN_LEASE_MINUTES}, default 10.
 */
@ApplicationScoped
public class RunLease {

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RUN_LEASE_MINUTES", defaultValue = "10")
    int minutes;

    public Duration duration() {
        return Duration.ofMinutes(Math.max(1, minutes));
    }
}
