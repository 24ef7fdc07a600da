package io.flowretry.executions.control;

import io.flowretry.bucket.control.BucketRecorder;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.connectors.control.SourceRecord;
import io.flowretry.flows.control.DeployedFlow;
import io.flowretry.flows.control.RecordOutcome;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.inject.Inject;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The main run's writer (the job has no processor): maps the chunk's source records and upserts
 * them with {@link DeployedFlow#processAll} (one destination batch where the connector can), then
 * records the chunk's outcomes in the bucket (trigger MAIN, {@link BucketRecorder}) and adds them
 * to the execution's counts and read position ({@link ExecutionRecords#count}), both plain JDBC in
 * the chunk's transaction: the same path as a retry chunk's.
 */
@Named
@Dependent
public class OutcomeWriter extends AbstractItemWriter {

    @Inject
    @BatchProperty
    String executionId;

    @Inject
    @BatchProperty
    String deploymentId;

    @Inject
    @BatchProperty
    String timeLapseMinutes;

    @Inject
    StepContext step;

    @Inject
    BucketRecorder recorder;

    @Inject
    ExecutionRecords executions;

    @Inject
    Clock clock;

    @Override
    public void writeItems(List<Object> items) {
        List<SourceRecord> records = new ArrayList<>(items.size());
        items.forEach(item -> records.add((SourceRecord) item));
        var flow = (DeployedFlow) step.getTransientUserData();
        long execution = Long.parseLong(executionId);
        List<RecordOutcome> outcomes = flow.processAll(records, Collections.nCopies(records.size(), "main-" + execution));
        int succeeded = (int) outcomes.stream().filter(RecordOutcome::success).count();
        String lastId = records.getLast().id(); // records come in id order: a resumed job reads on after it
        // straight calls, as the resync writer's: neither carries a transaction interceptor (see BatchCalls)
        recorder.recordAll(Long.parseLong(deploymentId), flow.nodeName(), Trigger.MAIN, null, execution,
                clock.instant(), Integer.parseInt(timeLapseMinutes), outcomes);
        executions.count(execution, outcomes.size(), succeeded, outcomes.size() - succeeded, lastId);
    }
}
