package io.flowretry.retry.control;

import io.flowretry.bucket.control.BucketRecorder;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.snapshots.control.Payloads;
import io.flowretry.snapshots.control.RunChunks;
import io.flowretry.snapshots.entity.RunItem;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The resync job's writer (the job has no processor): resyncs the chunk's claimed items at once
 * with {@link io.flowretry.flows.control.DeployedFlow#resyncAll} — each record re-read from the
 * source by id (fixes at the source are picked up; gone = SOURCE_MISSING), mapped with the flow
 * version deployed now and upserted, failures being outcomes, never exceptions. Then, in the
 * chunk's transaction (with the checkpoint) records every outcome
 * through the {@link BucketRecorder} (status, tries, auto tries for AUTO, attempt row, claim
 * released), the snapshot's run items and the run's counters, heartbeat and read position. A chunk
 * is thus either wholly recorded, with the position after it, or not at all.
 */
@Named
@Dependent
public class ResyncWriter extends AbstractItemWriter {

    @Inject
    StepContext stepContext;

    @Inject
    BucketRecorder recorder;

    @Inject
    RunChunks runChunks;

    @Inject
    Clock clock;

    @Override
    public void writeItems(List<Object> items) {
        var run = (RunContext) stepContext.getTransientUserData();
        var claimed = items.stream().map(ClaimedItem.class::cast).toList();
        if (claimed.isEmpty()) {
            return;
        }
        var outcomes = run.flow().resyncAll(claimed.stream().map(ClaimedItem::sourceId).toList());
        var resynced = IntStream.range(0, claimed.size())
                .mapToObj(i -> new ResyncedItem(claimed.get(i).itemId(), outcomes.get(i))).toList();
        var at = clock.instant();
        int ok = (int) resynced.stream().filter(r -> r.outcome().success()).count();
        recorder.recordClaimed(run.deploymentId(), run.flow().nodeName(), Trigger.valueOf(run.trigger()), run.runId(),
                at, run.timeLapseMinutes(), outcomes, claimed.stream().map(ClaimedItem::stored).toList());
        runChunks.record(run.runId(), resynced.stream().map(r -> runItem(run.runId(), r, at)).toList(), ok, resynced.size() - ok,
                claimed.getLast().position().text());
    }

    private static RunItem runItem(long runId, ResyncedItem r, java.time.Instant at) {
        RecordOutcome o = r.outcome();
        return new RunItem(runId, r.itemId(), o.sourceId(), o.success() ? "SUCCESS" : "FAILED",
                o.errorClass() == null ? null : o.errorClass().name(), Payloads.cut(o.error(), 4000),
                Payloads.toStoredJson(o.input()), Payloads.toStoredJson(o.output()), at);
    }
}
