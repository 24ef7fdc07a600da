package io.flowretry.executions.control;

import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.platform.control.BatchCalls;
import io.flowretry.platform.control.Jobs;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/**
 * Ends the execution row: FAILED with the noted error if the run itself failed, else COMPLETED. A
 * job the container failed at its step's start, having done nothing, is started again at once for
 * the same execution (at most {@value #CONTAINER_RESTARTS} times): the Payara race behind it is not
 * the flow's doing, and a restart now beats waiting a lease for the sweep's takeover.
 */
@Named
@Dependent
public class ExecutionJobListener extends AbstractJobListener {

    static final int CONTAINER_RESTARTS = 2;
    private static final String RESTARTS = "containerRestarts";
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ExecutionJobListener.class.getName());

    /** The job parameter naming the execution. */
    public static final String PARAMETER = "executionId";

    @Inject
    @BatchProperty
    String executionId;

    @Inject
    JobContext job;

    @Inject
    ExecutionRecords executions;

    @Inject
    BatchCalls calls;

    @Inject
    Jobs jobs;

    @Override
    public void afterJob() {
        var error = (String) job.getTransientUserData();
        boolean failed = error != null || job.getBatchStatus() == BatchStatus.FAILED;
        long id = Long.parseLong(executionId);
        if (failed && error == null && Jobs.didNothing(job.getExecutionId()) && startedAgain(id)) {
            return;
        }
        try {
            calls.run(() -> executions.finish(Long.parseLong(executionId), failed ? ExecutionStatus.FAILED : ExecutionStatus.COMPLETED,
                    failed && error == null ? "the batch job failed; see the server log" : error));
        } finally {
            jobs.ended(PARAMETER, id);
        }
    }

    private boolean startedAgain(long id) {
        var parameters = Jobs.parameters(job.getExecutionId());
        int restarts = Integer.parseInt(parameters.getProperty(RESTARTS, "0"));
        if (restarts >= CONTAINER_RESTARTS) {
            return false;
        }
        parameters.setProperty(RESTARTS, String.valueOf(restarts + 1));
        jobs.ended(PARAMETER, id);
        try {
            long again = jobs.start(job.getJobName(), PARAMETER, id, parameters);
            calls.run(() -> executions.jobStarted(id, again));
            LOG.warning("Execution " + id + ": the container failed job execution " + job.getExecutionId()
                    + " at its step's start with nothing done; started it again as job execution " + again);
            return true;
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "Execution " + id + ": could not start its job again", e);
            return false;
        }
    }
}
