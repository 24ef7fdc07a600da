package io.flowretry.retry.boundary;

import io.flowretry.bucket.entity.Trigger;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.platform.control.RunSweeps;
import io.flowretry.retry.control.ResyncJobListener;
import io.flowretry.retry.control.Selection;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts retry runs: scheduled slots, "run the automatic retry now" and manual RESYNCs. Each run
 * is stored first (its row is the snapshot's head and, for a slot, the slot's claim), then one
 * execution of the {@code resync-bucket} job is started for it; the job runs asynchronously.
 * Not transactional itself: the run is committed before its job starts.
 */
@ApplicationScoped
public class RetryRuns {

    public static final String JOB = "resync-bucket";
    private static final String PARAMETER = ResyncJobListener.PARAMETER;
    private static final Logger LOG = Logger.getLogger(RetryRuns.class.getName());

    @Inject
    Snapshots snapshots;

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    RunLease lease;

    @Inject
    Clock clock;

    @Inject
    Jobs jobs;

    /**
     * Runs the slot {@code slotAt} of the deployment's schedule, unless another server claimed it
     * (then nothing happens and empty is returned). Leaves a SKIPPED run when the environment is
     * inactive or another run of the deployment is still going.
     */
    public Optional<Long> runSlot(long deploymentId, Instant slotAt) {
        var deployment = deployments.get(deploymentId);
        RetryRun run;
        try {
            run = snapshots.open(newRun(deployment, Trigger.AUTO, RetryRun.SCHEDULE, slotAt, Selection.due()), freshAfter());
        } catch (RuntimeException e) {
            if (snapshots.slotTaken(deploymentId, slotAt)) {
                LOG.fine(() -> "Slot " + slotAt + " of deployment " + deploymentId + " was claimed by another server");
                return Optional.empty();
            }
            throw e;
        }
        if (run.getStatus() == RunStatus.SKIPPED) {
            return Optional.of(run.getId());
        }
        var environment = environments.get(deployment.getEnvironmentId());
        if (!environment.isActive()) {
            snapshots.skip(run.getId(), "environment " + environment.getName() + " is inactive");
            return Optional.of(run.getId());
        }
        start(run, deployment);
        return Optional.of(run.getId());
    }

    /**
     * "Run the automatic retry now": the due items only, counting as auto tries.
     *
     * @throws ConflictException (409) if a run of the deployment is still going
     */
    public long runNow(long deploymentId, String user) {
        var deployment = deployments.getRunnable(deploymentId);
        var run = snapshots.open(newRun(deployment, Trigger.AUTO, user, null, Selection.due()), freshAfter());
        start(run, deployment);
        return run.getId();
    }

    /**
     * A manual RESYNC of the chosen items (validated by the caller), whatever their auto tries.
     *
     * @throws ConflictException (409) if a run of the deployment is still going
     */
    public long resync(long deploymentId, Selection selection, String user) {
        var deployment = deployments.getRunnable(deploymentId);
        var run = snapshots.open(newRun(deployment, Trigger.MANUAL, user, null, selection), freshAfter());
        start(run, deployment);
        return run.getId();
    }

    /**
     * Restarts a FAILED (stopped or crashed-chunk) run, or a STARTED one whose server died (no
     * heartbeat for a lease): a new job execution of the same run, whose reader goes on after the
     * run's stored read position and whose counts add to the run's. A new execution rather than the
     * batch runtime's restart, so any server can restart any run (each server's job repository is
     * its own, see domain.xml). A run still going needs no restart (nothing happens); 409 for a
     * COMPLETED or SKIPPED run.
     */
    public long restart(long runId) {
        var run = snapshots.get(runId);
        if (run.getStatus() == RunStatus.STARTED && !jobs.isLocal(PARAMETER, runId)
                && snapshots.endDead(runId, freshAfter(), "restarted by an operator after its server stopped")) {
            run = snapshots.get(runId);
        }
        if (run.getStatus() == RunStatus.STARTED) {
            return runId; // going on here or on another server (or just taken over by a sweep)
        }
        if (run.getStatus() != RunStatus.FAILED) {
            throw new ConflictException("status", "only a FAILED run, or one whose server stopped, can be restarted; run "
                    + runId + " is " + run.getStatus());
        }
        resume(run, "restarted");
        return runId;
    }

    /**
     * Stops a STARTED run: a job running on this server is asked to stop after its current chunk
     * (its listener then ends the run FAILED, "stopped"); a run whose server died is ended FAILED
     * at once. Either way it can be restarted. 409 for a run not STARTED, or one still going on
     * another server.
     */
    public void stop(long runId) {
        var run = snapshots.get(runId);
        if (run.getStatus() != RunStatus.STARTED) {
            throw new ConflictException("status", "only a STARTED run can be stopped; run " + runId + " is " + run.getStatus());
        }
        if (jobs.stop(PARAMETER, runId)) {
            return;
        }
        if (!snapshots.endDead(runId, freshAfter(), ResyncJobListener.stoppedReason(runId) + " (its server had stopped)")) {
            if (jobs.isLocal(PARAMETER, runId) || snapshots.get(runId).getStatus() != RunStatus.STARTED) {
                return; // its job is just starting here, or it ended meanwhile
            }
            throw new ConflictException("status", "run " + runId + " is going on another server; stop it there");
        }
    }

    /**
     * The sweep of this server (every lease / 2, {@link io.flowretry.platform.control.RunSweeps}):
     * renews the heartbeat of the runs whose jobs run here, then takes over every run whose
     * heartbeat expired (its server died): resumed from its read position, at most
     * {@link RetryRun#MAX_TAKEOVERS} times, then ended FAILED with the reason. No operator needed.
     */
    public void sweep(@Observes RunSweeps.SweepDue due) {
        snapshots.renew(jobs.local(PARAMETER));
        for (RetryRun dead : snapshots.stale(due.staleBefore())) {
            if (jobs.isLocal(PARAMETER, dead.getId())) {
                continue; // started here after the renewal
            }
            if (dead.getTakeovers() >= RetryRun.MAX_TAKEOVERS) {
                snapshots.endDead(dead.getId(), due.staleBefore(), "no heartbeat since " + dead.getHeartbeatAt()
                        + ": its server stopped, and it was taken over " + RetryRun.MAX_TAKEOVERS + " times already; given up");
            } else if (snapshots.takeOver(dead.getId(), due.staleBefore())) {
                LOG.info(() -> "Retry run " + dead.getId() + " had no heartbeat since " + dead.getHeartbeatAt()
                        + "; taken over by this server, going on from its read position");
                resume(snapshots.get(dead.getId()), "taken over");
            }
        }
    }

    /** A new job execution of the run, going on after its read position, with the deployment's settings now. */
    private void resume(RetryRun run, String how) {
        long runId = run.getId();
        Deployment deployment;
        try {
            deployment = deployments.getRunnable(run.getDeploymentId());
        } catch (ConflictException e) {
            if (run.getStatus() == RunStatus.STARTED) {
                snapshots.finish(runId, RunStatus.FAILED, "not " + how + ": " + e.getMessage());
            }
            throw e;
        }
        // STARTED before the job runs (its listener then records the new execution): a caller
        // polling the run never sees the old FAILED after a 202, nor STARTED after the end
        snapshots.running(runId, run.getJobExecutionId() == null ? 0 : run.getJobExecutionId());
        try {
            var execution = jobs.start(JOB, PARAMETER, runId, parameters(deployment));
            LOG.info(() -> "Retry run " + runId + " " + how + " as job execution " + execution);
        } catch (RuntimeException e) {
            snapshots.finish(runId, RunStatus.FAILED, "the " + how + " job did not start: " + e.getMessage());
            throw e;
        }
    }

    private Instant freshAfter() {
        return clock.instant().minus(lease.duration());
    }

    private RetryRun newRun(Deployment deployment, Trigger trigger, String startedBy, Instant slotAt, Selection selection) {
        return new RetryRun(deployment.getId(), trigger.name(), startedBy == null ? "unknown" : startedBy, RunStatus.STARTED,
                slotAt, clock.instant(), deployment.getFlowVersion(), configJson(deployment.getRetry()), selection.toJson());
    }

    private void start(RetryRun run, Deployment deployment) {
        try {
            long execution = jobs.start(JOB, PARAMETER, run.getId(), parameters(deployment));
            LOG.fine(() -> "Retry run " + run.getId() + " is job execution " + execution);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot start the job of retry run " + run.getId(), e);
            snapshots.finish(run.getId(), RunStatus.FAILED, "the job did not start: " + e.getMessage());
        }
    }

    private static Properties parameters(Deployment deployment) {
        var parameters = new Properties();
        parameters.setProperty("batchSize", String.valueOf(deployment.getRetry().getBatchSize()));
        parameters.setProperty("timeLapseMinutes", String.valueOf(deployment.getRetry().getTimeLapseMinutes()));
        return parameters;
    }

    /** The retry settings a run used, as the snapshot shows them. */
    static String configJson(RetrySettings r) {
        var json = Json.createObjectBuilder()
                .add("mode", r.getMode().name())
                .add("frequency", r.getFrequency().name())
                .add("intervalHours", r.getIntervalHours())
                .add("timeLapseMinutes", r.getTimeLapseMinutes())
                .add("batchSize", r.getBatchSize());
        if (r.getDailyAt() != null) {
            json.add("dailyAt", r.getDailyAt().toString());
        }
        return json.build().toString();
    }
}
