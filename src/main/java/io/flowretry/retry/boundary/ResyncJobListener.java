package io.flowretry.retry.boundary;

import io.flowretry.retry.control.Paused;
import io.flowretry.platform.control.BatchCalls;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.control.RunStore;
import io.flowretry.snapshots.entity.RunStatus;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.JobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Ties the resync job to its run: at start the run is STARTED with this job execution (also after
 * a restart); at the end COMPLETED, or FAILED with the reason (a failed chunk, or a stop: a
 * stopped run can be restarted and goes on after its stored read position), or PAUSED with the
 * reason when the writer found an app of the flow DOWN ({@link Paused}; the sweeps resume it once the
 * app is UP, after its stored read position). A job the container
 * failed at its step's start (before any chunk) leaves its run STARTED with an expired heartbeat:
 * the next sweep takes it over. Several agents may work one run ({@code RunStore}, table {@code run_workers}): each one's job
 * marks its work ended, and only the last one completes the run; a worker never fails it, and
 * stops it only as the last job of a run whose stop was requested.
 */
@Named
@Dependent
public class ResyncJobListener implements JobListener {

    /** What the container says when it refuses a step's UserTransaction at the step's start. */
    static final String CONTAINER_START_FAILURE = "java:comp/UserTransaction";

    /** The job parameter naming the run. */
    public static final String PARAMETER = "runId";

    /** The key under which {@link Jobs} knows a worker's job of a run (its job parameters also carry {@link #PARAMETER}). */
    public static final String WORKER = "workerOf";

    @Inject
    @BatchProperty
    String runId;

    /** "true" for an agent that joined the run as a worker ({@link #WORKER}). */
    @Inject
    @BatchProperty
    String worker;

    @Inject
    RunStore runs;

    @Inject
    io.flowretry.environments.control.AgentRegistry agent;

    @Inject
    JobContext jobContext;

    @Inject
    Snapshots snapshots;

    @Inject
    BatchCalls calls;

    @Inject
    Jobs jobs;

    @Inject
    RunLease lease;

    @Inject
    java.time.Clock clock;

    @Override
    public void beforeJob() {
        if (!isWorker()) {
            calls.run(() -> snapshots.running(Long.parseLong(runId), jobContext.getExecutionId()));
            calls.run(() -> runs.working(Long.parseLong(runId), agent.agentId()));
        }
    }

    private boolean isWorker() {
        return Boolean.parseBoolean(worker);
    }

    @Override
    public void afterJob() {
        var status = jobContext.getBatchStatus();
        var failure = jobContext.getTransientUserData() instanceof String s ? s : null;
        var paused = jobContext.getTransientUserData() instanceof Paused p ? p : null;
        long id = Long.parseLong(runId);
        try {
            var freshAfter = clock.instant().minus(lease.duration());
            var left = calls.get(() -> runs.ended(id, agent.agentId(), freshAfter));
            boolean last = left == RunStore.Left.LAST;
            boolean stopped = status == BatchStatus.STOPPING || status == BatchStatus.STOPPED;
            if ((!isWorker() && stopped) || left == RunStore.Left.LAST_OF_A_STOPPED_RUN) {
                // the last worker of a stopped run worked only by workers ends it too, or it would wait for a takeover
                calls.run(() -> snapshots.finish(id, RunStatus.FAILED, stoppedReason(id)));
            } else if (!isWorker() && status == BatchStatus.FAILED && (failure == null || failure.contains(CONTAINER_START_FAILURE)) && Jobs.didNothing(jobContext.getExecutionId())) {
                // the container refused the step's transaction before its first chunk (a Payara race
                // seen with runs started at the same instant): nothing was done, so the run is left
                // to the next sweep, which takes it over like a run whose server died
                calls.run(() -> snapshots.expire(id, clock.instant().minus(lease.duration()).minusSeconds(1)));
            } else if (!isWorker() && (failure != null || status == BatchStatus.FAILED)) {
                calls.run(() -> snapshots.finish(id, RunStatus.FAILED, failure == null ? "the job failed" : failure));
            } else if (paused != null && (!isWorker() || last)) {
                // an app of the flow is DOWN: the sweeps resume the run once it is UP (workers join again then)
                calls.run(() -> snapshots.finish(id, RunStatus.PAUSED, paused.reason()));
            } else if (last && !stopped && failure == null && status != BatchStatus.FAILED) {
                calls.run(() -> snapshots.finish(id, RunStatus.COMPLETED, null));
            }
            // else another agent still works the run, and the last one to end completes it; a worker
            // never fails or stops the run: its failed chunk was rolled back, and its items are read
            // again by the last one
        } finally {
            jobs.ended(isWorker() ? WORKER : PARAMETER, id);
        }
    }

    public static String stoppedReason(long runId) {
        return "stopped; POST /api/retry-runs/" + runId + "/restart goes on from the last committed chunk";
    }

}
