package io.flowretry.retry.control;

import io.flowretry.bucket.control.BucketOverrides;
import io.flowretry.bucket.control.BucketRecorder;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.connectors.control.Breaker;
import io.flowretry.connectors.entity.AppHealth;
import io.flowretry.platform.control.BatchCalls;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.snapshots.control.Payloads;
import io.flowretry.snapshots.control.RunStore;
import io.flowretry.snapshots.entity.RunItem;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The resync job's writer (the job has no processor): resyncs the chunk's claimed items at once
 * with {@link io.flowretry.flows.control.DeployedFlow#resyncAll} — each record re-read from the
 * source by id (fixes at the source are picked up; gone = SOURCE_MISSING), mapped with the flow
 * version deployed now (with an operator's override put over the fields read, {@link BucketOverrides})
 * and upserted, failures being outcomes, never exceptions. Then, in the
 * chunk's transaction (with the checkpoint) records every outcome
 * through the {@link BucketRecorder} (status, tries, auto tries for AUTO, attempt row, claim
 * released), the snapshot's run items and the run's counters, heartbeat and read position. A chunk
 * is thus either wholly recorded, with the position after it, or not at all.
 * <p>
 * Outages (issue 12): before calling anything the writer asks the breakers whether an app of the
 * flow is DOWN (then nothing is called or recorded, the read position stays, and the run pauses);
 * after the calls it tells each app's breaker what the chunk saw of it ({@link Outages}). When an
 * app is DOWN after that, the failures it caused are recorded as {@code SKIPPED_OUTAGE} (no try),
 * the read position stays before the first of them (they are read again on resume: a skip changes
 * no item, so each keeps its key) and the run pauses ({@link Paused}).
 */
@Named
@Dependent
public class ResyncWriter extends AbstractItemWriter {

    @Inject
    StepContext stepContext;

    @Inject
    BucketRecorder recorder;

    @Inject
    RunStore runs;

    @Inject
    BucketOverrides overrides;

    @Inject
    Clock clock;

    @Inject
    JobContext jobContext;

    @Inject
    Breaker breaker;

    @Inject
    BatchCalls calls;

    @Override
    public void writeItems(List<Object> items) {
        var run = (RunContext) stepContext.getTransientUserData();
        var claimed = items.stream().map(ClaimedItem.class::cast).toList();
        if (claimed.isEmpty()) {
            return;
        }
        var down = calls.get(() -> breaker.firstDown(run.apps()));
        if (down.isPresent()) {
            jobContext.setTransientUserData(new Paused(down.get().reason()));
            return;
        }
        var overrides = this.overrides.forChunk(claimed.stream().map(ClaimedItem::itemId).toList());
        var bySourceId = new HashMap<String, BucketOverrides.Override>();
        claimed.stream().filter(c -> overrides.containsKey(c.itemId())).forEach(c -> bySourceId.put(c.sourceId(), overrides.get(c.itemId())));
        // the item's tries say which attempt this is: a chunk redone after a crash before its commit repeats it
        var outcomes = run.flow().resyncAll(claimed.stream().map(ClaimedItem::sourceId).toList(),
                claimed.stream().map(c -> "try-" + (c.stored().getTries() + 1)).toList(),
                (sourceId, read) -> bySourceId.containsKey(sourceId) ? bySourceId.get(sourceId).applyTo(read) : read);
        var skipped = causedByOutage(run, outcomes);
        var resynced = IntStream.range(0, claimed.size()).filter(i -> !skipped.contains(i))
                .mapToObj(i -> new ResyncedItem(claimed.get(i).itemId(), outcomes.get(i))).toList();
        var at = clock.instant();
        int ok = (int) resynced.stream().filter(r -> r.outcome().success()).count();
        recorder.recordClaimed(run.deploymentId(), run.flow().nodeName(), Trigger.valueOf(run.trigger()), run.runId(),
                at, run.timeLapseMinutes(), outcomes, claimed.stream().map(ClaimedItem::stored).toList(), overrides,
                skipped.stream().map(i -> outcomes.get(i).sourceId()).collect(Collectors.toSet()));
        int first = skipped.stream().mapToInt(Integer::intValue).min().orElse(claimed.size());
        runs.record(run.runId(), resynced.stream().map(r -> runItem(run.runId(), r, at, overrides.get(r.itemId()))).toList(), ok, resynced.size() - ok,
                run.worker() || first == 0 ? null : claimed.get(first - 1).position().text(), run.agentId());
    }

    /**
     * Tells the breaker of each app what the chunk saw of it; the indexes of the outcomes caused by
     * an app that is DOWN after that (the run then pauses, naming it). Source first, as it is read first.
     */
    private Set<Integer> causedByOutage(RunContext run, List<RecordOutcome> outcomes) {
        var down = new ArrayList<Outages.Side>();
        String reason = null;
        for (var side : Outages.Side.values()) {
            String app = side == Outages.Side.SOURCE ? run.apps().getFirst() : run.apps().getLast();
            if (side == Outages.Side.DESTINATION && run.apps().size() == 1 && !down.isEmpty()) {
                break; // one app on both sides, already DOWN
            }
            var signals = Outages.signals(outcomes, side);
            var health = calls.get(() -> observe(app, signals));
            if (health.isPresent() && health.get().isDown()) {
                down.add(side);
                reason = reason != null ? reason : Breaker.reason(app, health.get().getLastError());
            }
        }
        if (down.isEmpty()) {
            return Set.of();
        }
        jobContext.setTransientUserData(new Paused(reason));
        return Outages.causedBy(outcomes, down);
    }

    /** {@link Breaker#observe}, once more when two servers created the app's breaker row at once. */
    private java.util.Optional<AppHealth> observe(String app, List<Breaker.Signal> signals) {
        try {
            return breaker.observe(app, signals);
        } catch (RuntimeException e) {
            return breaker.observe(app, signals);
        }
    }

    private static RunItem runItem(long runId, ResyncedItem r, java.time.Instant at, BucketOverrides.Override override) {
        RecordOutcome o = r.outcome();
        return new RunItem(runId, r.itemId(), o.sourceId(), o.success() ? "SUCCESS" : "FAILED",
                o.errorClass() == null ? null : o.errorClass().name(), Payloads.cut(o.error(), 4000),
                Payloads.toStoredJson(o.input()), Payloads.toStoredJson(o.output()), at,
                override == null ? null : override.fields().toString());
    }
}
