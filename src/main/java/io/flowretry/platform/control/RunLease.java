package io.flowretry.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the heartbeat of a retry run or a main execution stays valid: a run whose heartbeat is
 * older is dead (it no longer blocks the next run of its deployment, and the {@link RunSweeps}
 * hand it to a live server). The heartbeat moves with every committed chunk and, for the runs
 * whose job runs on a server, with every sweep of that server ({@link #sweepEvery()} = lease / 2),
 * so a slow chunk does not look dead while its server lives. MicroProfile Config
 * {@code FLOWRETRY_RUN_LEASE_SECONDS} (tests: a few seconds) or else
 * {@code FLOWRETRY_RUN_LEASE_MINUTES} (default 10).
 */
@ApplicationScoped
public class RunLease {

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RUN_LEASE_MINUTES", defaultValue = "10")
    int minutes;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RUN_LEASE_SECONDS")
    Optional<Integer> seconds;

    public Duration duration() {
        return seconds.filter(s -> s > 0).map(s -> Duration.ofSeconds(Math.max(2, s)))
                .orElseGet(() -> Duration.ofMinutes(Math.max(1, minutes)));
    }

    /** How often every server sweeps: half the lease, so a live run's heartbeat never expires between two sweeps. */
    public Duration sweepEvery() {
        return duration().dividedBy(2);
    }
}
