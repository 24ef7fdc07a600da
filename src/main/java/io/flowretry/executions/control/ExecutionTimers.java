package io.flowretry.executions.control;

import io.flowretry.deployments.boundary.DeploymentChanged;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.environments.boundary.EnvironmentChanged;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.executions.boundary.Executions;
import io.flowretry.executions.entity.Execution;
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

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code sync.mode AUTO}: one programmatic, non-persistent interval timer per deployment that is
 * deployed with AUTO sync in an active environment, every {@code everyMinutes}. Rebuilt from the
 * database at startup and for a deployment or environment whenever it changes (after the change
 * committed). A tick skips when the deployment still has an execution running (a heartbeat within
 * the {@link RunLease}). At startup, executions a stopped server left STARTED are ended as FAILED.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ExecutionTimers {

    private static final Logger LOG = Logger.getLogger(ExecutionTimers.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    Executions executions;

    @Inject
    ExecutionRecords records;

    @Inject
    RunLease lease;

    @Inject
    Clock clock;

    /** At startup: executions left STARTED by a stopped server are ended, then the timers armed. */
    @PostConstruct
    void rebuild() {
        int abandoned = records.abandonStale(clock.instant().minus(lease.duration()));
        if (abandoned > 0) {
            LOG.info(() -> abandoned + " executions without heartbeat marked FAILED");
        }
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

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick(Timer timer) {
        long deploymentId = (Long) timer.getInfo();
        try {
            if (records.running(deploymentId, lease.duration()).isPresent()) {
                LOG.info(() -> "Deployment " + deploymentId + " is still running; sync tick skipped");
                return;
            }
            var execution = executions.start(deploymentId, Execution.AUTO, "sync timer");
            LOG.info(() -> "Sync tick of deployment " + deploymentId + " started execution " + execution.getId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sync tick of deployment " + deploymentId + " did not start a run: " + e.getMessage());
        }
    }

    private synchronized void schedule(Deployment deployment) {
        cancel(deployment.getId());
        var sync = deployment.getSync();
        if (!deployment.isDeployed() || sync == null || sync.getMode() != SyncMode.AUTO || sync.getEveryMinutes() == null
                || sync.getEveryMinutes() < 1 || !environments.get(deployment.getEnvironmentId()).isActive()) {
            return;
        }
        long every = Duration.ofMinutes(sync.getEveryMinutes()).toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig(deployment.getId(), false));
        LOG.info(() -> "Deployment " + deployment.getId() + " syncs every " + sync.getEveryMinutes() + " min");
    }

    private synchronized void cancel(long deploymentId) {
        for (Timer timer : timers.getTimers()) {
            if (Long.valueOf(deploymentId).equals(timer.getInfo())) {
                timer.cancel();
            }
        }
    }
}
