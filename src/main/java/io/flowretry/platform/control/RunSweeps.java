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
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every server sweeps its runs every {@link RunLease#sweepEvery()} (half the lease), from startup
 * on, and once more whenever the test clock moves: it fires {@link SweepDue}, whose observers (the
 * retry runs, the main executions) renew the heartbeat of the runs whose jobs run here, then deal
 * with the runs whose heartbeat expired (their server died): a retry run is taken over and resumed
 * from its read position, a main execution ended. The period is real time (how often to look);
 * "expired" is judged on the injected clock, like every other due-ness.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // every observer's call commits on its own
public class RunSweeps {

    private static final Logger LOG = Logger.getLogger(RunSweeps.class.getName());

    /** A sweep: runs with a heartbeat before {@code staleBefore} are dead. */
    public record SweepDue(java.time.Instant staleBefore) {
    }

    @Resource
    TimerService timers;

    @Inject
    RunLease lease;

    @Inject
    Clock clock;

    @Inject
    Event<SweepDue> sweep;

    @PostConstruct
    void start() {
        long every = Math.max(1000, lease.sweepEvery().toMillis());
        timers.createIntervalTimer(1000, every, new TimerConfig("run sweep", false));
    }

    @Timeout
    void tick() {
        sweepNow();
    }

    /** The test clock moved: heartbeats of local runs are renewed on the new clock at once. */
    public void clockMoved(@Observes ClockMoved event) {
        sweepNow();
    }

    private void sweepNow() {
        try {
            sweep.fire(new SweepDue(clock.instant().minus(lease.duration())));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The run sweep failed; the next one tries again", e);
        }
    }
}
