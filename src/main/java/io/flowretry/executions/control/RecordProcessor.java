package io.flowretry.executions.control;

import io.flowretry.connectors.control.SourceRecord;
import io.flowretry.flows.control.DeployedFlow;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.StepContext;
import jakarta.inject.Inject;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/** Maps and writes one source record to the destination; the result is its {@code RecordOutcome}, never an exception. */
@Named
@Dependent
public class RecordProcessor implements ItemProcessor {

    @Inject
    StepContext step;

    @Override
    public Object processItem(Object item) {
        return ((DeployedFlow) step.getTransientUserData()).process((SourceRecord) item);
    }
}
