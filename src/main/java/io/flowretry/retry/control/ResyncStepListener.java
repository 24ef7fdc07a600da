package io.flowretry.retry.control;

import io.flowretry.retry.boundary.ResyncJobListener;
import jakarta.batch.api.listener.StepListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Hands a failed step's reason to the {@link io.flowretry.retry.boundary.ResyncJobListener} (the job context's transient data). */
@Named
@Dependent
public class ResyncStepListener implements StepListener {

    @Inject
    StepContext stepContext;

    @Inject
    JobContext jobContext;

    @Override
    public void beforeStep() {
        jobContext.setTransientUserData(null);
    }

    @Override
    public void afterStep() {
        var failure = stepContext.getException();
        if (failure != null || stepContext.getBatchStatus() == BatchStatus.FAILED) {
            Throwable root = failure;
            while (root != null && root.getCause() != null) {
                root = root.getCause();
            }
            jobContext.setTransientUserData(root == null ? "the step failed"
                    : "the step failed: " + root.getClass().getSimpleName() + ": " + root.getMessage());
        }
    }
}
