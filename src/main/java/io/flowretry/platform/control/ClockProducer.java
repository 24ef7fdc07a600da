package io.flowretry.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/**
 * The one clock of the application: due rules, slots and timestamps all read it.
 * With MicroProfile Config {@code FLOWRETRY_CLOCK_CONTROL=true} (integration tests only, never in
 * production) it is an {@link AdjustableClock} that {@code PUT /api/test/clock} moves.
 */
@ApplicationScoped
public class ClockProducer {

    @Inject
    @ConfigProperty(name = "FLOWRETRY_CLOCK_CONTROL", defaultValue = "false")
    boolean clockControl;

    private final AdjustableClock adjustable = new AdjustableClock(Clock.systemUTC());

    @Produces
    @ApplicationScoped
    Clock clock() {
        return clockControl ? adjustable : Clock.systemUTC();
    }

    /** The adjustable clock, present only when the clock control is on. */
    public java.util.Optional<AdjustableClock> adjustable() {
        return clockControl ? java.util.Optional.of(adjustable) : java.util.Optional.empty();
    }
}
