package io.flowretry.retry.boundary;

import io.flowretry.bucket.entity.Trigger;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.control.RunLease;
import io.flowretry.retry.control.Selection;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
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

    /**
     * Runs the slot {@code slotAt} of the deployment's schedule, unless another server claimed it
     * (then nothing happens and empty is returned). Leaves a SKIPPED run when the environment is
     * inactive or another run of the deployment is still going.
     */
    public Optional<Long> runSlot(long deploymentId, Instant slotAt) {
        var deployment = deployments.get(deploymentId);
        RetryRun run;
        try {
            run = snapshots.create(newRun(deployment, Trigger.AUTO, RetryRun.SCHEDULE, slotAt, Selection.due()));
        } catch (RuntimeException e) {
            if (snapshots.slotTaken(deploymentId, slotAt)) {
                LOG.fine(() -> "Slot " + slotAt + " of deployment " + deploymentId + " was claimed by another server");
                return Optional.empty();
            }
            throw e;
        }
        var environment = environments.get(deployment.getEnvironmentId());
        if (!environment.isActive()) {
            snapshots.skip(run.getId(), "environment " + environment.getName() + " is inactive");
            return Optional.of(run.getId());
        }
        var live = snapshots.liveRun(deploymentId, run.getId(), clock.instant().minus(lease.duration()));
        if (live.isPresent()) {
            snapshots.skip(run.getId(), "run " + live.get().getId() + " of this deployment is still going");
            return Optional.of(run.getId());
        }
        start(run, deployment);
        return Optional.of(run.getId());
    }

    /** "Run the automatic retry now": the due items only, counting as auto tries. */
    public long runNow(long deploymentId, String user) {
        var deployment = deployments.getRunnable(deploymentId);
        var run = snapshots.create(newRun(deployment, Trigger.AUTO, user, null, Selection.due()));
        start(run, deployment);
        return run.getId();
    }

    /** A manual RESYNC of the chosen items (validated by the caller), whatever their auto tries. */
    public long resync(long deploymentId, Selection selection, String user) {
        var deployment = deployments.getRunnable(deploymentId);
        var run = snapshots.create(newRun(deployment, Trigger.MANUAL, user, null, selection));
        start(run, deployment);
        return run.getId();
    }

    /**
     * Restarts a FAILED (stopped or crashed-chunk) run: a new job execution of the same run, whose
     * reader goes on after the run's stored read position and whose counts add to the run's. A new
     * execution rather than the batch runtime's restart, so any server can restart any run (each
     * server's job repository is its own, see domain.xml).
     */
    public long restart(long runId) {
        var run = snapshots.get(runId);
        if (run.getStatus() != RunStatus.FAILED || run.getJobExecutionId() == null) {
            throw new ConflictException("status", "only a FAILED run with a job can be restarted; run " + runId + " is " + run.getStatus());
        }
        var deployment = deployments.getRunnable(run.getDeploymentId());
        // STARTED before the job runs (its listener then records the new execution): a caller
        // polling the run never sees the old FAILED after a 202, nor STARTED after the end
        snapshots.running(runId, run.getJobExecutionId());
        try {
            var execution = operator().start(JOB, parameters(run, deployment));
            LOG.info(() -> "Retry run " + runId + " restarted as job execution " + execution);
        } catch (RuntimeException e) {
            snapshots.finish(runId, RunStatus.FAILED, "the restart failed: " + e.getMessage());
            throw e;
        }
        return runId;
    }

    /** Asks a STARTED run's job to stop after its current chunk. */
    public void stop(long runId) {
        var run = snapshots.get(runId);
        if (run.getStatus() != RunStatus.STARTED || run.getJobExecutionId() == null) {
            throw new ConflictException("status", "only a STARTED run with a job can be stopped; run " + runId + " is " + run.getStatus());
        }
        operator().stop(run.getJobExecutionId());
    }


    private RetryRun newRun(Deployment deployment, Trigger trigger, String startedBy, Instant slotAt, Selection selection) {
        return new RetryRun(deployment.getId(), trigger.name(), startedBy == null ? "unknown" : startedBy, RunStatus.STARTED,
                slotAt, clock.instant(), deployment.getFlowVersion(), configJson(deployment.getRetry()), selection.toJson());
    }

    private void start(RetryRun run, Deployment deployment) {
        try {
            long execution = operator().start(JOB, parameters(run, deployment));
            LOG.fine(() -> "Retry run " + run.getId() + " is job execution " + execution);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot start the job of retry run " + run.getId(), e);
            snapshots.finish(run.getId(), RunStatus.FAILED, "the job did not start: " + e.getMessage());
        }
    }

    private static Properties parameters(RetryRun run, Deployment deployment) {
        var parameters = new Properties();
        parameters.setProperty("runId", String.valueOf(run.getId()));
        parameters.setProperty("batchSize", String.valueOf(deployment.getRetry().getBatchSize()));
        parameters.setProperty("timeLapseMinutes", String.valueOf(deployment.getRetry().getTimeLapseMinutes()));
        return parameters;
    }

    private static JobOperator operator() {
        return BatchRuntime.getJobOperator();
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
