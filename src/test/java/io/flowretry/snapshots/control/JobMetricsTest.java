package io.flowretry.snapshots.control;

import jakarta.batch.runtime.Metric;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobMetricsTest {

    @Test
    void metric_types_become_camel_case_json_names() {
        assertEquals("readCount", JobMetrics.name(Metric.MetricType.READ_COUNT));
        assertEquals("commitCount", JobMetrics.name(Metric.MetricType.COMMIT_COUNT));
        assertEquals("processSkipCount", JobMetrics.name(Metric.MetricType.PROCESS_SKIP_COUNT));
    }

    @Test
    void a_run_without_a_job_has_no_metrics() {
        assertEquals(Map.of(), JobMetrics.of(null));
    }
}
