package io.flowretry.executions.control;

import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.RecordCursor;
import io.flowretry.flows.control.DeployedFlow;
import io.flowretry.deployments.control.DeployedFlows;
import io.flowretry.platform.control.BatchCalls;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.inject.Inject;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

import java.io.Serializable;

/**
 * Streams the deployment's source records in id order ({@link DeployedFlow#readAll}); the
 * checkpoint is the last id read, so a restart continues after it, and a new job of the execution
 * (taken over after its server died) continues after the execution's stored read position. Opens the deployed flow once
 * for the step and shares it with the writer (step's transient user data).
 */
@Named
@Dependent
public class SourceRecordReader extends AbstractItemReader {

    @Inject
    @BatchProperty
    String executionId;

    @Inject
    @BatchProperty
    String deploymentId;

    @Inject
    StepContext step;

    @Inject
    JobContext job;

    @Inject
    DeployedFlows deployedFlows;

    @Inject
    ExecutionRecords executions;

    @Inject
    BatchCalls calls;

    private DeployedFlow flow;
    private RecordCursor cursor;
    private String lastId;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        try {
            // a new job of an execution taken over from a dead server has no checkpoint of its own
            lastId = checkpoint != null ? (String) checkpoint
                    : calls.get(() -> executions.readPosition(Long.parseLong(executionId))).orElse(null);
            flow = calls.get(() -> deployedFlows.open(Long.parseLong(deploymentId)));
            step.setTransientUserData(flow);
            cursor = flow.readAll(lastId);
        } catch (ConnectorException | RuntimeException e) {
            job.setTransientUserData("cannot read the source: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public Object readItem() {
        try {
            if (!cursor.hasNext()) {
                return null;
            }
            var record = cursor.next();
            lastId = record.id();
            return record;
        } catch (RuntimeException e) {
            job.setTransientUserData("reading the source failed after id " + lastId + ": " + e.getMessage());
            throw e;
        }
    }

    @Override
    public Serializable checkpointInfo() {
        return lastId;
    }

    @Override
    public void close() {
        try {
            if (cursor != null) {
                cursor.close();
            }
        } finally {
            if (flow != null) {
                flow.close();
            }
        }
    }
}
