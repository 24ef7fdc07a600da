package io.flowretry.executions.control;

import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.inject.Inject;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/** Notes a failed step (its exception) for {@link ExecutionJobListener}. */
@Named
@Dependent
public class ExecutionStepListener extends AbstractStepListener {

    @Inject
    StepContext step;

    @Inject
    JobContext job;

    @Override
    public void afterStep() {
        if (step.getException() != null && job.getTransientUserData() == null) {
            job.setTransientUserData(String.valueOf(step.getException().getMessage()));
        } else if (step.getBatchStatus() == BatchStatus.FAILED && job.getTransientUserData() == null) {
            job.setTransientUserData("the step failed");
        }
    }
}
