package io.flowretry.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every agent polls {@link FleetState} every {@code FLOWRETRY_FLEET_POLL_MILLIS} (default 1000):
 * a moved schedule version fires {@link FleetChanged} (the timers re-arm from the database), a
 * moved test clock offset sets this agent's clock and fires {@link ClockMoved}. One primary-key
 * read per poll (see docs/benchmarks.md), simpler and more portable than LISTEN/NOTIFY, which
 * H2 lacks. The offset is applied before any timer is armed (startup beans depend on this one).
 * Every poll also fires {@link FleetPolled}: the agent looks for live runs to join.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FleetWatch {

    private static final Logger LOG = Logger.getLogger(FleetWatch.class.getName());

    @Resource
    TimerService timers;

    @Inject
    FleetState fleet;

    @Inject
    ClockProducer clocks;

    @Inject
    Clock clock;

    @Inject
    Event<FleetChanged> changed;

    @Inject
    Event<ClockMoved> clockMoved;

    @Inject
    Event<FleetPolled> polled;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_FLEET_POLL_MILLIS", defaultValue = "1000")
    long pollMillis;

    private long seenVersion;

    @PostConstruct
    void start() {
        var seen = fleet.read();
        seenVersion = seen.scheduleVersion();
        clocks.adjustable().ifPresent(a -> a.setOffset(Duration.ofMillis(seen.clockOffsetMillis())));
        long every = Math.max(100, pollMillis);
        timers.createIntervalTimer(every, every, new TimerConfig("fleet watch", false));
    }

    @Timeout
    void poll() {
        try {
            var seen = fleet.read();
            var adjustable = clocks.adjustable();
            if (adjustable.isPresent() && adjustable.get().offset().toMillis() != seen.clockOffsetMillis()) {
                adjustable.get().setOffset(Duration.ofMillis(seen.clockOffsetMillis()));
                clockMoved.fire(new ClockMoved(clock.instant()));
            }
            if (seen.scheduleVersion() != seenVersion) {
                seenVersion = seen.scheduleVersion();
                changed.fire(new FleetChanged(seenVersion));
            }
            polled.fire(new FleetPolled());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The fleet watch failed; the next poll tries again", e);
        }
    }
}
