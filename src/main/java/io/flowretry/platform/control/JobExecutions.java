package io.flowretry.platform.control;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;

import java.util.Optional;

/**
 * Finds a run's job execution in this server's batch job repository. Each server has its own
 * repository (domain.xml), with its own execution ids, so the id a run stored may name another
 * run's execution here (started on another server, or before an upgrade moved the repository).
 * An execution counts only if it was started for the run: its job parameter {@code parameter}
 * is the run's id.
 */
public final class JobExecutions {

    private JobExecutions() {
    }

    /** The job execution {@code jobExecutionId} if this server's repository has it and it was started for {@code owner}. */
    public static Optional<JobExecution> own(Long jobExecutionId, String parameter, long owner) {
        if (jobExecutionId == null) {
            return Optional.empty();
        }
        try {
            var execution = BatchRuntime.getJobOperator().getJobExecution(jobExecutionId);
            var parameters = execution.getJobParameters();
            return parameters != null && String.valueOf(owner).equals(parameters.getProperty(parameter))
                    ? Optional.of(execution) : Optional.empty();
        } catch (RuntimeException e) { // unknown to this server's repository
            return Optional.empty();
        }
    }
}
