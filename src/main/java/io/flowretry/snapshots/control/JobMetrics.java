package io.flowretry.snapshots.control;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's Jakarta Batch step metrics (read, write, commit, rollback… counts, summed over the job's
 * steps) as the job repository knows them; empty when the execution is gone (purged) or unknown.
 */
public final class JobMetrics {

    private static final Logger LOG = Logger.getLogger(JobMetrics.class.getName());

    private JobMetrics() {
    }

    public static Map<String, Long> of(Long jobExecutionId) {
        var metrics = new LinkedHashMap<String, Long>();
        if (jobExecutionId == null) {
            return metrics;
        }
        try {
            for (StepExecution step : BatchRuntime.getJobOperator().getStepExecutions(jobExecutionId)) {
                for (Metric metric : step.getMetrics()) {
                    metrics.merge(name(metric.getType()), metric.getValue(), Long::sum);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "No metrics for job execution " + jobExecutionId, e);
        }
        return metrics;
    }

    /** READ_COUNT → readCount. */
    static String name(Metric.MetricType type) {
        var parts = type.name().toLowerCase().split("_");
        var name = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            name.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return name.toString();
    }
}
