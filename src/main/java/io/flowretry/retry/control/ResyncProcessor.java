package io.flowretry.retry.control;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The resync job's processor: re-reads the record from the source by its id (fixes at the source
 * are picked up; gone = SOURCE_MISSING), maps it with the flow version deployed now and upserts
 * it to the destination. Failures are outcomes, never exceptions.
 */
@Named
@Dependent
public class ResyncProcessor implements ItemProcessor {

    @Inject
    StepContext stepContext;

    @Override
    public Object processItem(Object item) {
        var claimed = (ClaimedItem) item;
        var run = (RunContext) stepContext.getTransientUserData();
        return new ResyncedItem(claimed.itemId(), run.flow().resync(claimed.sourceId()));
    }
}
