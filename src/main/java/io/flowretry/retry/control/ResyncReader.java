package io.flowretry.retry.control;

import io.flowretry.deployments.control.DeployedFlows;
import io.flowretry.platform.control.BatchCalls;
import io.flowretry.snapshots.boundary.Snapshots;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The resync job's reader: hands out the run's items one by one, claiming them a page at a time
 * through {@link BucketClaims} in the chunk's transaction. A page is never more than the current
 * chunk still needs (the count restarts at each checkpoint), so every claimed item is resynced and
 * recorded in the chunk that claimed it. It starts after the run's stored read position (written
 * with each chunk's outcomes, see {@link io.flowretry.snapshots.control.RunChunks}), so a restarted
 * run reads on after its last committed chunk. The batch runtime's own checkpoint is not used: its
 * repository commits outside the chunk's transaction (domain.xml), so it may run one chunk ahead.
 * Opens the deployment's flow (the version deployed now) for the writer.
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
    @BatchProperty
    String timeLapseMinutes;

    @Inject
    StepContext stepContext;

    @Inject
    Snapshots snapshots;

    @Inject
    BucketClaims claims;

    @Inject
    DeployedFlows deployedFlows;

    @Inject
    BatchCalls calls;

    private RunContext run;
    private ReadPosition position;
    private ReadPosition pageEnd;
    private int chunkSize;
    private int leftInChunk;
    private boolean end;
    private final Deque<ClaimedItem> buffer = new ArrayDeque<>();

    @Override
    public void open(Serializable checkpoint) {
        var retryRun = calls.get(() -> snapshots.get(Long.parseLong(runId)));
        run = new RunContext(retryRun.getId(), retryRun.getDeploymentId(), retryRun.getTriggerType(),
                Selection.fromJson(retryRun.getSelection()), retryRun.getStartedAt(), Integer.parseInt(timeLapseMinutes),
                calls.get(() -> deployedFlows.open(retryRun.getDeploymentId())));
        stepContext.setTransientUserData(run);
        position = ReadPosition.parse(retryRun.getReadPosition());
        pageEnd = position;
        chunkSize = Math.max(1, Integer.parseInt(batchSize));
        leftInChunk = chunkSize;
    }

    @Override
    public Object readItem() {
        while (buffer.isEmpty() && !end) {
            var page = claims.claimNext(run.deploymentId(), run.selection(), run.runAt(), java.time.Duration.ofMinutes(run.timeLapseMinutes()), pageEnd, Math.max(1, leftInChunk));
            buffer.addAll(page.claimed());
            pageEnd = page.next();
            end = page.end();
        }
        var item = buffer.poll();
        if (item != null) {
            position = item.position();
            leftInChunk--;
        }
        return item;
    }

    /** Called by the runtime at the end of every chunk, in its transaction: the next chunk starts. */
    @Override
    public Serializable checkpointInfo() {
        leftInChunk = chunkSize;
        return position;
    }

    @Override
    public void close() throws Exception {
        if (run != null) {
            run.flow().close();
        }
    }
}
