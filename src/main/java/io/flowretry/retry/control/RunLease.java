package io.flowretry.retry.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * How long a retry run's heartbeat (renewed by every chunk) stays valid: a run whose heartbeat is
 * older is dead (its slot no longer blocks the next one; at startup it is marked FAILED). Must be
 * longer than one chunk takes. MicroProfile Config {@code FLOWRETRY_RUN_LEASE_MINUTES}, default 10.
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
