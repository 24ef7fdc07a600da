package io.flowretry.executions.boundary;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.executions.control.ExecutionRecords;
import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.platform.boundary.NotFoundException;
import io.flowretry.platform.control.JobExecutions;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.platform.control.RunSweeps;
import io.flowretry.executions.control.ExecutionJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.EnumSet;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts and reads main runs. A run starts only for a deployed flow in an active environment,
 * and only while no other execution of the deployment runs (else 409, nothing stored). The row is
 * committed before the {@code execute-flow} job starts, so the job always finds it; the job's
 * counts, heartbeat and status land in it as it runs.
 */
@ApplicationScoped
public class Executions {

    public static final String JOB = "execute-flow";
    private static final Logger LOG = Logger.getLogger(Executions.class.getName());
    private static final EnumSet<BatchStatus> ENDED_BADLY = EnumSet.of(BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED);

    @Inject
    Deployments deployments;

    @Inject
    ExecutionRecords records;

    @Inject
    RunLease lease;

    @Inject
    Jobs jobs;

    /**
     * @param trigger {@link Execution#MANUAL} or {@link Execution#AUTO}
     * @throws io.flowretry.platform.boundary.ConflictException (409) if the deployment is not
     *         runnable or an execution of it is still running
     */
    public Execution start(long deploymentId, String trigger, String startedBy) {
        var deployment = deployments.getRunnable(deploymentId);
        records.running(deploymentId, lease.duration()).ifPresent(this::get); // a STARTED row whose job ended badly is ended here
        var execution = records.create(deploymentId, trigger, startedBy, deployment.getFlowVersion(), lease.duration());
        var parameters = new Properties();
        parameters.setProperty("deploymentId", String.valueOf(deploymentId));
        parameters.setProperty("batchSize", String.valueOf(deployment.getRetry().getBatchSize()));
        parameters.setProperty("timeLapseMinutes", String.valueOf(deployment.getRetry().getTimeLapseMinutes()));
        try {
            records.jobStarted(execution.getId(), jobs.start(JOB, ExecutionJobListener.PARAMETER, execution.getId(), parameters));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Cannot start the execution of deployment " + deploymentId, e);
            records.finish(execution.getId(), ExecutionStatus.FAILED, "could not start: " + e.getMessage());
        }
        return get(execution.getId());
    }

    /**
     * The execution; a row still STARTED whose job has ended badly (it failed before its listener
     * could finish the row) is reported and stored as FAILED.
     */
    public Execution get(long executionId) {
        var execution = records.find(executionId).orElseThrow(() -> new NotFoundException("execution", executionId));
        if (execution.getStatus() == ExecutionStatus.STARTED && execution.getJobExecutionId() != null && jobEndedBadly(execution)) {
            records.finish(executionId, ExecutionStatus.FAILED, "the batch job ended without finishing; see the server log");
            execution = records.find(executionId).orElseThrow();
        }
        return execution;
    }

    private boolean jobEndedBadly(Execution execution) {
        // only this server's execution started for this row: another server's (or a purged) one is left alone
        return JobExecutions.own(execution.getJobExecutionId(), "executionId", execution.getId())
                .map(job -> ENDED_BADLY.contains(job.getBatchStatus())).orElse(false);
    }

    /**
     * The sweep of this server (every lease / 2): renews the heartbeat of the executions whose jobs
     * run here, then ends as FAILED those whose heartbeat expired (their server died; a main
     * execution's read position is in its server's job repository, so it is not resumed elsewhere:
     * the next execution reads every record again, an upsert each).
     */
    public void sweep(@Observes RunSweeps.SweepDue due) {
        records.renew(jobs.local(ExecutionJobListener.PARAMETER));
        int abandoned = records.abandonStale(due.staleBefore());
        if (abandoned > 0) {
            LOG.info(() -> abandoned + " executions without heartbeat since " + due.staleBefore() + " marked FAILED");
        }
    }
}
