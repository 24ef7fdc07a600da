package io.flowretry.retry.control;

import io.flowretry.flows.control.DeployedFlows;
import io.flowretry.snapshots.boundary.Snapshots;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The resync job's reader: hands out the run's items one by one, claiming them a page (one
 * batch size) at a time through {@link BucketClaims}; its checkpoint is the position of the last
 * item handed out. Opens the deployment's flow (the version deployed now) for the writer.
 */
@Named
@Dependent
public class ResyncReader extends AbstractItemReader {

    @Inject
    @BatchProperty
    String runId;

    @Inject
    @BatchProperty
    String batchSize;

    @Inject
    StepContext stepContext;

    @Inject
    Snapshots snapshots;

    @Inject
    BucketClaims claims;

    @Inject
    DeployedFlows deployedFlows;

    @Inject
    ClaimLease lease;

    @Inject
    Clock clock;

    private RunContext run;
    private ReadPosition position;
    private ReadPosition pageEnd;
    private boolean end;
    private final Deque<ClaimedItem> buffer = new ArrayDeque<>();

    @Override
    public void open(Serializable checkpoint) {
        var retryRun = snapshots.get(Long.parseLong(runId));
        run = new RunContext(retryRun.getId(), retryRun.getDeploymentId(), retryRun.getTriggerType(),
                Selection.fromJson(retryRun.getSelection()), retryRun.getStartedAt(),
                deployedFlows.open(retryRun.getDeploymentId()));
        stepContext.setTransientUserData(run);
        position = checkpoint instanceof ReadPosition p ? p : ReadPosition.START;
        pageEnd = position;
    }

    @Override
    public Object readItem() {
        while (buffer.isEmpty() && !end) {
            var now = clock.instant();
            var page = claims.claimNext(run.runId(), run.deploymentId(), run.selection(), run.runAt(), pageEnd,
                    Math.max(1, Integer.parseInt(batchSize)), now, now.plus(lease.duration()));
            buffer.addAll(page.claimed());
            pageEnd = page.next();
            end = page.end();
        }
        var item = buffer.poll();
        if (item != null) {
            position = item.position();
        }
        return item;
    }

    @Override
    public Serializable checkpointInfo() {
        return position;
    }

    @Override
    public void close() throws Exception {
        if (run != null) {
            run.flow().close();
        }
    }
}
