package io.flowretry.metrics.control;

import io.flowretry.snapshots.control.RunEnded;
import io.flowretry.snapshots.entity.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names and labels of the run metrics as Prometheus sees them (the contract's names in shared/api.md). */
class MetricsTest {

    @Test
    void a_run_end_counts_the_run_its_items_and_its_duration() {
        var metrics = new Metrics();
        metrics.init();
        var start = Instant.parse("2026-12-01T10:00:00Z");
        metrics.runEnded(new RunEnded(7, 42, "AUTO", RunStatus.COMPLETED, null, 10, 7, 3, start, start.plusSeconds(20)));
        metrics.runEnded(new RunEnded(8, 42, "AUTO", RunStatus.FAILED, "the job failed", 4, 0, 4, start, start.plusSeconds(2)));
        var text = metrics.exposition();
        for (var line : new String[]{
                "flowretry_runs_total{deployment=\"42\",status=\"completed\",trigger=\"auto\"} 1.0",
                "flowretry_runs_total{deployment=\"42\",status=\"failed\",trigger=\"auto\"} 1.0",
                "flowretry_run_items_total{deployment=\"42\",outcome=\"success\",trigger=\"auto\"} 7.0",
                "flowretry_run_items_total{deployment=\"42\",outcome=\"failed\",trigger=\"auto\"} 7.0",
                "flowretry_run_duration_seconds_count{deployment=\"42\",trigger=\"auto\"} 2",
                "flowretry_run_duration_seconds_sum{deployment=\"42\",trigger=\"auto\"} 22.0",
                "flowretry_run_duration_seconds_bucket{deployment=\"42\",trigger=\"auto\",le=\"5.0\"} 1",
                "flowretry_run_duration_seconds_bucket{deployment=\"42\",trigger=\"auto\",le=\"30.0\"} 2"}) {
            assertTrue(text.contains(line), line + " missing in\n" + text);
        }
    }
}
