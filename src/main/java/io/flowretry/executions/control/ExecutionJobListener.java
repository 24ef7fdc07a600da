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

/** Ends the execution row: FAILED with the noted error if the run itself failed, else COMPLETED. */
@Named
@Dependent
public class ExecutionJobListener extends AbstractJobListener {

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
        try {
            calls.run(() -> executions.finish(Long.parseLong(executionId), failed ? ExecutionStatus.FAILED : ExecutionStatus.COMPLETED,
                    failed && error == null ? "the batch job failed; see the server log" : error));
        } finally {
            jobs.ended(PARAMETER, Long.parseLong(executionId));
        }
    }
}
