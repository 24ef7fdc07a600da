package io.flowretry.executions.control;

import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.platform.control.BatchCalls;
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

    @Inject
    @BatchProperty
    String executionId;

    @Inject
    JobContext job;

    @Inject
    ExecutionRecords executions;

    @Inject
    BatchCalls calls;

    @Override
    public void afterJob() {
        var error = (String) job.getTransientUserData();
        boolean failed = error != null || job.getBatchStatus() == BatchStatus.FAILED;
        calls.run(() -> executions.finish(Long.parseLong(executionId), failed ? ExecutionStatus.FAILED : ExecutionStatus.COMPLETED,
                failed && error == null ? "the batch job failed; see the server log" : error));
    }
}
