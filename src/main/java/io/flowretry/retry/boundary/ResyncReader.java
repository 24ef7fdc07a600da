package io.flowretry.retry.boundary;

import io.flowretry.retry.control.Paused;
import io.flowretry.retry.control.Selection;
import io.flowretry.retry.control.ClaimedItem;
import io.flowretry.retry.control.ReadPosition;
import io.flowretry.retry.control.RunContext;
import io.flowretry.retry.control.BucketClaims;
import io.flowretry.deployments.control.DeployedFlows;
import io.flowretry.platform.control.BatchCalls;
import io.flowretry.snapshots.boundary.Snapshots;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
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
 * with each chunk's outcomes, see {@link io.flowretry.snapshots.control.RunStore#record}), so a restarted
 * run reads on after its last committed chunk. The batch runtime's own checkpoint is not used: its
 * repository commits outside the chunk's transaction (domain.xml), so it may run one chunk ahead.
 * Opens the deployment's flow (the version deployed now) for the writer. Before each chunk it
 * asks whether a stop was requested on the run's row (a stop posted to another agent).
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

    /** The flow's connection names, a JSON array (see {@code RetryRuns}). */
    @Inject
    @BatchProperty
    String apps;

    /** "true" for an agent that joined the run as a worker: it reads from the start and writes no read position. */
    @Inject
    @BatchProperty
    String worker;

    @Inject
    StepContext stepContext;

    @Inject
    JobContext jobContext;

    @Inject
    Snapshots snapshots;

    @Inject
    BucketClaims claims;

    @Inject
    DeployedFlows deployedFlows;

    @Inject
    BatchCalls calls;

    @Inject
    io.flowretry.platform.control.Jobs jobs;

    @Inject
    io.flowretry.snapshots.control.RunStore runs;

    @Inject
    io.flowretry.environments.control.AgentRegistry agent;

    @Inject
    io.flowretry.platform.control.RunLease lease;

    @Inject
    java.time.Clock clock;

    private RunContext run;
    private ReadPosition position;
    private ReadPosition pageEnd;
    private int chunkSize;
    private int leftInChunk;
    private boolean end;
    private boolean finalPass;
    private final Deque<ClaimedItem> buffer = new ArrayDeque<>();
    /** The items read into the chunk in flight: its row locks are this transaction's own, so a read from the start finds them again. */
    private final java.util.Set<Long> inChunk = new java.util.HashSet<>();

    @Override
    public void open(Serializable checkpoint) {
        var retryRun = calls.get(() -> snapshots.get(Long.parseLong(runId)));
        run = new RunContext(retryRun.getId(), retryRun.getDeploymentId(), retryRun.getTriggerType(),
                Selection.fromJson(retryRun.getSelection()), retryRun.getStartedAt(), Integer.parseInt(timeLapseMinutes),
                calls.get(() -> deployedFlows.open(retryRun.getDeploymentId())), appNames(apps), Boolean.parseBoolean(worker), agent.agentId());
        stepContext.setTransientUserData(run);
        // a worker reads from the start: what the others did is no longer eligible, what they hold is locked
        position = run.worker() ? ReadPosition.START : ReadPosition.parse(retryRun.getReadPosition());
        pageEnd = position;
        chunkSize = Math.max(1, Integer.parseInt(batchSize));
        leftInChunk = chunkSize;
    }

    static java.util.List<String> appNames(String json) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readArray().getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
        }
    }

    /** The next item; none once the writer paused the run (an app of the flow is DOWN). */
    @Override
    public Object readItem() {
        if (jobContext.getTransientUserData() instanceof Paused) {
            return null;
        }
        if (leftInChunk == chunkSize && buffer.isEmpty() && !end && runs.stopRequested(run.runId())) {
            // a stop posted to another agent reached this one through the run's row (or the run ended
            // elsewhere): stop after the last committed chunk; a worker just ends
            if (!run.worker()) {
                jobs.stop(ResyncJobListener.PARAMETER, run.runId());
            }
            end = true;
        }
        while (buffer.isEmpty() && !end) {
            var page = claims.claimNext(run.deploymentId(), run.selection(), run.runAt(), java.time.Duration.ofMinutes(run.timeLapseMinutes()), pageEnd, Math.max(1, leftInChunk));
            page.claimed().stream().filter(c -> !inChunk.contains(c.itemId())).forEach(buffer::add);
            pageEnd = page.next();
            end = page.end();
            if (end && !finalPass && calls.get(() -> runs.lastOfSeveral(run.runId(), run.agentId(), clock.instant().minus(lease.duration())))) {
                // the last of several agents: an agent that died left its chunk's items unlocked
                // behind every read position, so read once more from the start
                finalPass = true;
                end = false;
                pageEnd = ReadPosition.START;
            }
        }
        var item = buffer.poll();
        if (item != null) {
            position = item.position();
            inChunk.add(item.itemId());
            leftInChunk--;
        }
        return item;
    }

    /** Called by the runtime at the end of every chunk, in its transaction: the next chunk starts. */
    @Override
    public Serializable checkpointInfo() {
        leftInChunk = chunkSize;
        inChunk.clear();
        return position;
    }

    @Override
    public void close() throws Exception {
        if (run != null) {
            run.flow().close();
        }
    }
}
