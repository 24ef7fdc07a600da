package io.flowretry.executions.boundary;

import io.flowretry.executions.control.SyncTicks;
import io.flowretry.deployments.control.DeploymentChanged;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.environments.control.EnvironmentChanged;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.platform.control.ClockMoved;
import io.flowretry.platform.control.RunLease;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
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
import java.time.Instant;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code sync.mode AUTO}: one programmatic, non-persistent single-action timer per deployment that
 * is deployed with AUTO sync in an active environment, armed for its next tick ({@link SyncTicks}:
 * every {@code everyMinutes} from the deployment time). A timer waits (tick − clock now) and is
 * re-armed after it fired, so the injected clock rules it: a moved test clock re-arms every timer
 * ({@link ClockMoved}). Every agent arms them; a tick runs once in the fleet ({@link Executions#tick}). Rebuilt from the database at startup and for a deployment or environment
 * whenever it changes (after the change committed). A tick skips when the deployment still has an
 * execution running (a heartbeat within the {@link RunLease}). Executions a stopped server left
 * STARTED are ended by the sweeps ({@link Executions#sweep}).
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ExecutionTimers {

    private static final Logger LOG = Logger.getLogger(ExecutionTimers.class.getName());

    /** What a timer waits for. */
    public record Tick(long deploymentId, Instant at) implements Serializable {
    }

    @Resource
    TimerService timers;

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    Executions executions;

    @Inject
    Clock clock;

    @PostConstruct
    void rebuild() {
        deployments.listDeployed().forEach(this::schedule);
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void deploymentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeploymentChanged event) {
        deployments.find(event.deploymentId()).ifPresentOrElse(this::schedule, () -> cancel(event.deploymentId()));
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void environmentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) EnvironmentChanged event) {
        deployments.listAllByEnvironment(event.environmentId()).forEach(this::schedule);
    }

    /** The (test-only) clock moved: every timer's delay was computed from the old "now". */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void clockMoved(@Observes ClockMoved event) {
        deployments.listDeployed().forEach(this::schedule);
    }

    /** Another agent changed a deployment or an environment: the sync timers follow the database. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void fleetChanged(@Observes io.flowretry.platform.control.FleetChanged event) {
        timers.getTimers().forEach(t -> {
            try {
                t.cancel();
            } catch (jakarta.ejb.NoSuchObjectLocalException gone) {
                // fired meanwhile
            }
        });
        rebuild();
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick(Timer timer) {
        Tick tick;
        try {
            tick = (Tick) timer.getInfo();
        } catch (jakarta.ejb.NoSuchObjectLocalException cancelledWhileFiring) {
            return; // re-armed at this very moment: the new timer takes over
        }
        long deploymentId = tick.deploymentId();
        try {
            executions.tick(deploymentId, tick.at()).ifPresent(execution ->
                    LOG.info(() -> "Sync tick of deployment " + deploymentId + " started execution " + execution.getId()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sync tick of deployment " + deploymentId + " did not start a run: " + e.getMessage());
        }
        var after = tick.at().isAfter(clock.instant()) ? tick.at() : clock.instant(); // a timer firing early never re-arms the same tick
        deployments.find(deploymentId).ifPresentOrElse(d -> schedule(d, after), () -> cancel(deploymentId));
    }

    private void schedule(Deployment deployment) {
        schedule(deployment, clock.instant());
    }

    private synchronized void schedule(Deployment deployment, Instant after) {
        cancel(deployment.getId());
        var sync = deployment.getSync();
        if (!deployment.isDeployed() || sync == null || sync.getMode() != SyncMode.AUTO || sync.getEveryMinutes() == null
                || sync.getEveryMinutes() < 1 || !environments.get(deployment.getEnvironmentId()).isActive()) {
            return;
        }
        var at = SyncTicks.next(deployment.getDeployedAt(), Duration.ofMinutes(sync.getEveryMinutes()), after);
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        timers.createSingleActionTimer(delay, new TimerConfig(new Tick(deployment.getId(), at), false));
        LOG.fine(() -> "Deployment " + deployment.getId() + " syncs every " + sync.getEveryMinutes() + " min; next at " + at);
    }

    private synchronized void cancel(long deploymentId) {
        for (Timer timer : timers.getTimers()) {
            try {
                if (timer.getInfo() instanceof Tick t && t.deploymentId() == deploymentId) {
                    timer.cancel();
                }
            } catch (jakarta.ejb.NoSuchObjectLocalException gone) {
                // fired or cancelled meanwhile
            }
        }
    }
}
