package io.flowretry.retry.boundary;

import io.flowretry.bucket.entity.Trigger;
import io.flowretry.connectors.boundary.ConnectionHealth;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.boundary.FlowApps;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Duty;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.platform.control.RunSweeps;
import io.flowretry.retry.control.BucketClaims;
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
import java.util.List;
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
    private static final String WORKER = ResyncJobListener.WORKER;
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

    @Inject
    FlowApps flowApps;

    @Inject
    ConnectionHealth health;

    @Inject
    io.flowretry.snapshots.control.RunStore runs;

    @Inject
    BucketClaims claims;

    /** Held from a run's row being stored or restarted until its job is local here (see {@link #join}). */
    private final java.util.concurrent.locks.ReentrantLock starting = new java.util.concurrent.locks.ReentrantLock();

    /**
     * One run is worked by every connected attached agent: on every fleet poll this agent joins each
     * live run of an environment it serves that it does not work yet, with a worker job of its own
     * that claims the run's items with the same row locks ({@code BucketClaims}) from the start of
     * its selection. Counts add up chunk by chunk; the last agent to end completes the run.
     */
    public void join(@Observes io.flowretry.platform.control.FleetPolled polled) {
        if (!starting.tryLock()) {
            return; // a run is being started here: not yet local, it must not be joined as another one's (the next poll looks again)
        }
        try {
            joinLiveRuns();
        } finally {
            starting.unlock();
        }
    }

    private void joinLiveRuns() {
        var freshAfter = freshAfter();
        for (RetryRun run : snapshots.live(freshAfter)) {
            long id = run.getId();
            if (run.isStopRequested() || jobs.isLocal(PARAMETER, id) || jobs.isLocal(WORKER, id)) {
                continue;
            }
            var deployment = deployments.find(run.getDeploymentId()).filter(Deployment::isDeployed);
            if (deployment.isEmpty() || environments.duty(deployment.get().getEnvironmentId()) != Duty.RUN_HERE
                    || !runs.join(id, environments.agentId(), freshAfter)) {
                continue;
            }
            var parameters = parameters(deployment.get());
            parameters.setProperty(PARAMETER, String.valueOf(id));
            parameters.setProperty("worker", "true");
            try {
                long execution = jobs.start(JOB, WORKER, id, parameters);
                LOG.info(() -> "Joined retry run " + id + " as a worker (job execution " + execution + ")");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot join retry run " + id, e);
                runs.ended(id, environments.agentId(), freshAfter);
            }
        }
    }

    /**
     * Runs the slot {@code slotAt} of the deployment's schedule, unless another agent claimed it
     * (then nothing happens and empty is returned). The deployment is judged as stored now: an
     * undeployed or no longer AUTO deployment runs nothing (another agent changed it and this
     * agent's timer had not heard yet). An agent not attached to the environment leaves the slot to
     * the attached ones, unless none of them is connected. Leaves a SKIPPED run when the environment
     * cannot run (inactive, or no connected agent: the reason says which), another run of the
     * deployment is still going or an app of its flow is DOWN (the reason names it: "ERP unreachable:
     * connection refused").
     */
    public Optional<Long> runSlot(long deploymentId, Instant slotAt) {
        starting.lock();
        try {
            return runSlotNow(deploymentId, slotAt);
        } finally {
            starting.unlock();
        }
    }

    private Optional<Long> runSlotNow(long deploymentId, Instant slotAt) {
        var deployment = deployments.find(deploymentId).orElse(null);
        if (deployment == null || !deployment.isDeployed() || deployment.getRetry() == null
                || deployment.getRetry().getMode() != io.flowretry.deployments.entity.RetryMode.AUTO) {
            LOG.fine(() -> "Slot " + slotAt + " of deployment " + deploymentId + ": no longer an AUTO deployment, nothing run");
            return Optional.empty();
        }
        var environment = environments.health(deployment.getEnvironmentId());
        var duty = Duty.of(environment.runnable(), environments.servedHere(deployment.getEnvironmentId()));
        if (duty == Duty.LEAVE_TO_ATTACHED) {
            return Optional.empty(); // an attached, connected agent runs it
        }
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
        if (duty == Duty.REFUSE) {
            snapshots.skip(run.getId(), environment.reason());
            return Optional.of(run.getId());
        }
        var down = this.health.firstDown(flowApps.names(deploymentId));
        if (down.isPresent()) {
            snapshots.skip(run.getId(), down.get().reason());
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
        return openAndStart(deploymentId, Trigger.AUTO, user, Selection.due());
    }

    /**
     * A manual RESYNC of the chosen items (the request's shape validated by the caller), whatever
     * their auto tries; items chosen by id must all be in the deployment's bucket.
     *
     * @throws InvalidInputException (400) naming {@code itemIds} (the first 20 unknown ones), nothing started
     * @throws ConflictException (409) if a run of the deployment is still going
     */
    public long resync(long deploymentId, Selection selection, String user) {
        if (selection.mode() == Selection.Mode.IDS) {
            var unknown = claims.unknownIds(deploymentId, selection.itemIds());
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("itemIds", "not in this deployment's bucket: "
                        + unknown.stream().limit(20).map(String::valueOf).toList());
            }
        }
        return openAndStart(deploymentId, Trigger.MANUAL, user, selection);
    }

    /** RESYNC of these items of the deployment's bucket, any status (a discarded one comes back): {@link #resync}. */
    public long resyncIds(long deploymentId, List<Long> itemIds, String user) {
        return resync(deploymentId, Selection.ids(itemIds), user);
    }

    /**
     * RESYNC of the items whose source id starts with {@code sourceIdPrefix} (null = all) and whose
     * status is {@code status} (null = FAILED): {@link #resync}.
     */
    public long resyncMatching(long deploymentId, String sourceIdPrefix, String status, String user) {
        return resync(deploymentId, Selection.filter(sourceIdPrefix, status), user);
    }

    private long openAndStart(long deploymentId, Trigger trigger, String user, Selection selection) {
        var deployment = deployments.getRunnable(deploymentId);
        starting.lock();
        try {
            var run = snapshots.open(newRun(deployment, trigger, user, null, selection), freshAfter());
            start(run, deployment);
            return run.getId();
        } finally {
            starting.unlock();
        }
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
     * Stops a STARTED run, by its run id, wherever it runs: a job running on this server is asked
     * to stop after its current chunk (its listener then ends the run FAILED, "stopped"); a run
     * going on another agent gets "stop requested" on its row, which that agent's reader sees at
     * its next chunk; a run whose server died is ended FAILED at once. Either way it can be
     * restarted. 409 for a run not STARTED.
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
            snapshots.requestStop(runId); // going on here (just starting) or on another agent: its next chunk stops
        }
    }

    /**
     * The sweep of this server (every lease / 2, {@link io.flowretry.platform.control.RunSweeps}):
     * renews the heartbeat of the runs whose jobs run here, then takes over every run whose
     * heartbeat expired (its server died): resumed from its read position, at most
     * {@link RetryRun#MAX_TAKEOVERS} times, then ended FAILED with the reason. Then resumes every
     * PAUSED run whose apps are all UP again (the probes ran just before, in the same sweep), from its
     * read position. No operator needed.
     */
    public void sweep(@Observes RunSweeps.SweepDue due) {
        try {
            sweepTakeovers(due);
        } finally {
            resumePaused();
        }
    }

    private void sweepTakeovers(RunSweeps.SweepDue due) {
        var working = new java.util.HashSet<>(jobs.local(PARAMETER));
        working.addAll(jobs.local(WORKER));
        snapshots.renew(working);
        runs.renew(working, environments.agentId());
        for (RetryRun dead : snapshots.stale(due.staleBefore())) {
            if (jobs.isLocal(PARAMETER, dead.getId()) || jobs.isLocal(WORKER, dead.getId())) {
                continue; // started here after the renewal
            }
            if (leftToAttached(dead.getDeploymentId())) {
                continue; // an agent attached to its environment takes it over
            }
            if (dead.isStopRequested()) {
                // its last job died before it saw the stop: it stays stopped, and can be restarted
                snapshots.endDead(dead.getId(), due.staleBefore(), ResyncJobListener.stoppedReason(dead.getId()));
            } else if (dead.getTakeovers() >= RetryRun.MAX_TAKEOVERS) {
                snapshots.endDead(dead.getId(), due.staleBefore(), "no heartbeat since " + dead.getHeartbeatAt()
                        + ": its server stopped, and it was taken over " + RetryRun.MAX_TAKEOVERS + " times already; given up");
            } else if (snapshots.takeOver(dead.getId(), due.staleBefore())) {
                LOG.info(() -> "Retry run " + dead.getId() + " had no heartbeat since " + dead.getHeartbeatAt()
                        + "; taken over by this server, going on from its read position");
                resume(snapshots.get(dead.getId()), "taken over");
            }
        }
    }

    private void resumePaused() {
        for (RetryRun paused : snapshots.paused()) {
            try {
                if (leftToAttached(paused.getDeploymentId())) {
                    continue; // an agent attached to its environment resumes it
                }
                if (health.firstDown(flowApps.names(paused.getDeploymentId())).isEmpty() && snapshots.unpause(paused.getId())) {
                    LOG.info(() -> "Retry run " + paused.getId() + " was paused (" + paused.getReason() + "); its apps are UP, resuming it");
                    resume(snapshots.get(paused.getId()), "resumed after the outage");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Paused retry run " + paused.getId() + " could not be resumed; the next sweep tries again", e);
            }
        }
    }

    /** Whether an agent attached to the deployment's environment, not this one, is to take its runs over or resume them. */
    private boolean leftToAttached(long deploymentId) {
        return deployments.find(deploymentId).map(d -> environments.duty(d.getEnvironmentId()) == Duty.LEAVE_TO_ATTACHED).orElse(false);
    }

    /**
     * A new generation of the run, going on after its read position, with the deployment's settings
     * now: a job here, or, on an agent not attached to the environment, none (the attached agents
     * join the run as workers at their next fleet poll).
     */
    private void resume(RetryRun run, String how) {
        starting.lock();
        try {
            resumeNow(run, how);
        } finally {
            starting.unlock();
        }
    }

    private void resumeNow(RetryRun run, String how) {
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
        snapshots.resumed(runId);
        if (environments.duty(deployment.getEnvironmentId()) != Duty.RUN_HERE) {
            LOG.info(() -> "Retry run " + runId + " " + how + "; left to the agents attached to its environment");
            return;
        }
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
        if (environments.duty(deployment.getEnvironmentId()) != Duty.RUN_HERE) {
            // asked of an agent detached from the environment: the attached agents join it within a poll
            LOG.info(() -> "Retry run " + run.getId() + " is left to the agents attached to its environment");
            return;
        }
        try {
            long execution = jobs.start(JOB, PARAMETER, run.getId(), parameters(deployment));
            LOG.fine(() -> "Retry run " + run.getId() + " is job execution " + execution);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot start the job of retry run " + run.getId(), e);
            snapshots.finish(run.getId(), RunStatus.FAILED, "the job did not start: " + e.getMessage());
        }
    }

    private Properties parameters(Deployment deployment) {
        var parameters = new Properties();
        var apps = Json.createArrayBuilder();
        flowApps.names(deployment.getId()).forEach(apps::add);
        parameters.setProperty("apps", apps.build().toString());
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
