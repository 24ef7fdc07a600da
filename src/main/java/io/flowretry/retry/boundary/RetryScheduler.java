package io.flowretry.retry.boundary;

import io.flowretry.retry.control.SlotPlan;
import io.flowretry.retry.control.RetrySchedule;
import io.flowretry.retry.control.NextRuns;
import io.flowretry.deployments.control.DeploymentChanged;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.environments.control.EnvironmentChanged;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.platform.control.ClockMoved;
import io.flowretry.platform.control.FleetChanged;
import io.flowretry.platform.control.FleetState;
import io.flowretry.snapshots.boundary.Snapshots;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One programmatic, non-persistent EJB timer per deployed AUTO deployment, armed for its next
 * slot ({@link RetrySchedule}, anchored at the deployment time, in the environment's zone).
 * <ul>
 * <li>The database is the truth: timers are rebuilt from it at startup (with one catch-up run for
 * slots missed while down, {@link SlotPlan}), when a deployment changes (deploy, redeploy,
 * undeploy) and when an environment changes (activation, time zone). Persistent timers are not
 * used: Payara Micro loses them on restart.</li>
 * <li>A timer's delay is (slot − clock now), so a moved test clock re-arms every timer.</li>
 * <li>On timeout the slot is run through {@link RetryRuns#runSlot} (which claims it in the
 * database: with several servers each slot runs once), then the timer is re-armed.</li>
 * <li>Timers are also armed for inactive environments: their slots leave SKIPPED runs, so an
 * operator sees why nothing was retried.</li>
 * <li>{@code deployments.next_run_at} always holds the armed slot (null when none).</li>
 * <li>Runs left STARTED by a server that died are taken over by the sweeps ({@link RetryRuns#sweep}).</li>
 * <li>Every agent arms every deployment's timer (whichever gets there first claims the slot); a
 * change made on any agent moves {@link FleetState}'s version, and each agent re-arms from the
 * database when its poll sees it ({@link FleetChanged}). The slot itself re-reads the deployment
 * as stored when it fires ({@link RetryRuns#runSlot}).</li>
 * </ul>
 */
@Singleton
@Startup
@DependsOn({"Migrations", "FleetWatch", "AgentRegistry"})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // each facade call commits on its own; timers are never rolled back with a failed call
public class RetryScheduler {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class.getName());

    /** What a timer waits for. */
    public record Armed(long deploymentId, Instant slotAt) implements Serializable {
    }

    @Resource
    TimerService timerService;

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    Snapshots snapshots;

    @Inject
    RetryRuns retryRuns;

    @Inject
    Clock clock;

    @Inject
    NextRuns nextRuns;

    @Inject
    FleetState fleet;


    @PostConstruct
    void startup() {
        armAll();
    }

    /** Arms every deployment's timer from the database (with one catch-up run for missed slots). */
    private void armAll() {
        for (Deployment deployment : deployments.listDeployed()) {
            try {
                arm(deployment, true);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot schedule the retries of deployment " + deployment.getId(), e);
            }
        }
    }

    public void deploymentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeploymentChanged event) {
        rearm(event.deploymentId());
        fleet.scheduleChanged();
    }

    public void environmentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) EnvironmentChanged event) {
        deployments.listAllByEnvironment(event.environmentId()).forEach(d -> rearm(d.getId()));
        fleet.scheduleChanged();
    }

    /**
     * Another agent changed a deployment, an environment or an attachment ({@link FleetState}'s
     * version moved): every timer is armed again from the database as it is now.
     */
    public void fleetChanged(@Observes FleetChanged event) {
        cancelAll(); // undeployed ones keep none
        armAll(); // with the catch-up of a slot no agent ran (a deployment made on an agent that went down)
    }

    /**
     * The (test-only) clock moved: re-arm every timer. Runs are not judged by their heartbeat here:
     * heartbeats written before the move are not comparable with the new "now", and no server died.
     */
    public void clockMoved(@Observes ClockMoved event) {
        cancelAll();
        armAll();
    }

    /** Cancels the deployment's timer and arms it again from the database. */
    public void rearm(long deploymentId) {
        cancel(deploymentId);
        deployments.find(deploymentId).ifPresent(d -> arm(d, false));
    }

    @Timeout
    void slot(Timer timer) {
        Armed armed;
        try {
            armed = (Armed) timer.getInfo();
        } catch (jakarta.ejb.NoSuchObjectLocalException cancelledWhileFiring) {
            return; // re-armed at this very moment (a deployment or the clock changed): the new timer takes over
        }
        try {
            retryRuns.runSlot(armed.deploymentId(), armed.slotAt());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Slot " + armed.slotAt() + " of deployment " + armed.deploymentId() + " failed", e);
        }
        deployments.find(armed.deploymentId()).filter(RetryScheduler::scheduled).ifPresentOrElse(
                d -> armFor(d, SlotPlan.afterFired(schedule(d), armed.slotAt(), clock.instant())),
                () -> setNextRunAt(armed.deploymentId(), null));
    }

    private void arm(Deployment deployment, boolean startup) {
        if (!scheduled(deployment)) {
            setNextRunAt(deployment.getId(), null);
            return;
        }
        var schedule = schedule(deployment);
        var now = clock.instant();
        var slot = startup
                ? SlotPlan.atStartup(schedule, snapshots.lastSlot(deployment.getId()), now)
                : schedule.nextSlotAfter(now);
        armFor(deployment, slot);
    }

    private void armFor(Deployment deployment, Instant slot) {
        cancel(deployment.getId());
        long delay = Math.max(0, Duration.between(clock.instant(), slot).toMillis());
        timerService.createSingleActionTimer(delay, new TimerConfig(new Armed(deployment.getId(), slot), false));
        setNextRunAt(deployment.getId(), slot);
        LOG.fine(() -> "Deployment " + deployment.getId() + ": next retry at " + slot + " (in " + delay + " ms)");
    }

    private static boolean scheduled(Deployment d) {
        return d.isDeployed() && d.getRetry() != null && d.getRetry().getMode() == RetryMode.AUTO;
    }

    private RetrySchedule schedule(Deployment d) {
        var zone = environments.get(d.getEnvironmentId()).getTimeZone();
        var r = d.getRetry();
        return new RetrySchedule(r.getFrequency(), r.getDailyAt(), r.getIntervalHours(), zone, d.getDeployedAt());
    }

    private void cancel(long deploymentId) {
        for (Timer timer : timerService.getTimers()) {
            if (timer.getInfo() instanceof Armed a && a.deploymentId() == deploymentId) {
                timer.cancel();
            }
        }
    }

    private void cancelAll() {
        timerService.getTimers().forEach(Timer::cancel);
    }

    private void setNextRunAt(long deploymentId, Instant slot) {
        nextRuns.set(deploymentId, slot);
    }
}
