package io.flowretry.retry.control;

import io.flowretry.platform.control.BatchCalls;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.snapshots.boundary.Snapshots;
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
 * stopped run can be restarted and goes on after its stored read position). A job the container
 * failed at its step's start (before any chunk) leaves its run STARTED with an expired heartbeat:
 * the next sweep takes it over.
 */
@Named
@Dependent
public class ResyncJobListener implements JobListener {

    /** What the container says when it refuses a step's UserTransaction at the step's start. */
    static final String CONTAINER_START_FAILURE = "java:comp/UserTransaction";

    /** The job parameter naming the run. */
    public static final String PARAMETER = "runId";

    @Inject
    @BatchProperty
    String runId;

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
        calls.run(() -> snapshots.running(Long.parseLong(runId), jobContext.getExecutionId()));
    }

    @Override
    public void afterJob() {
        var status = jobContext.getBatchStatus();
        var failure = jobContext.getTransientUserData() instanceof String s ? s : null;
        long id = Long.parseLong(runId);
        try {
            if (status == BatchStatus.STOPPING || status == BatchStatus.STOPPED) {
                calls.run(() -> snapshots.finish(id, RunStatus.FAILED, stoppedReason(id)));
            } else if (status == BatchStatus.FAILED && (failure == null || failure.contains(CONTAINER_START_FAILURE)) && Jobs.didNothing(jobContext.getExecutionId())) {
                // the container refused the step's transaction before its first chunk (a Payara race
                // seen with runs started at the same instant): nothing was done, so the run is left
                // to the next sweep, which takes it over like a run whose server died
                calls.run(() -> snapshots.expire(id, clock.instant().minus(lease.duration()).minusSeconds(1)));
            } else if (failure != null || status == BatchStatus.FAILED) {
                calls.run(() -> snapshots.finish(id, RunStatus.FAILED, failure == null ? "the job failed" : failure));
            } else {
                calls.run(() -> snapshots.finish(id, RunStatus.COMPLETED, null));
            }
        } finally {
            jobs.ended(PARAMETER, id);
        }
    }

    public static String stoppedReason(long runId) {
        return "stopped; POST /api/retry-runs/" + runId + "/restart goes on from the last committed chunk";
    }

}
