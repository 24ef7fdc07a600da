package io.flowretry.retry.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * How long an item claim and a run's heartbeat stay valid without news: a run whose heartbeat is
 * older is dead (its slot no longer blocks the next one), a claim older is free. Must be longer
 * than one chunk takes. MicroProfile Config {@code FLOWRETRY_CLAIM_LEASE_MINUTES}, default 10.
 */
@ApplicationScoped
public class ClaimLease {

    @Inject
    @ConfigProperty(name = "FLOWRETRY_CLAIM_LEASE_MINUTES", defaultValue = "10")
    int minutes;

    public Duration duration() {
        return Duration.ofMinutes(Math.max(1, minutes));
    }
}
