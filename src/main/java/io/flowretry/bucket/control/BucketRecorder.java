package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.RowIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Every outcome of a run — main execution (MAIN), automatic retry (AUTO) or manual resync
 * (MANUAL) — goes into the bucket through here, in the caller's transaction (a chunk's; checked by
 * {@link ChunkTransaction}, no transaction interceptor on this hot path):
 * <ul>
 * <li>MAIN: a failure creates or updates the record's item; a success marks an existing item
 * SUCCESS and creates none. AUTO/MANUAL: the item exists (it was picked from the bucket).</li>
 * <li>What an outcome does to an item (status, queue state, tries, auto tries, due time) is the
 * item's own rule, {@link BucketItem#attempted}; this class only loads and writes the rows.</li>
 * <li>Every outcome that touches an item appends an {@link Attempt}; so does an operator's
 * {@link #discard} (trigger DISCARD, with user and reason).</li>
 * </ul>
 * This is both runs' hot path, so it is plain JDBC on the transaction's connection, every statement
 * in {@link BucketStore}: one query loads the chunk's items (none for a retry run: its claim read
 * them), then new items, changed items and attempts go out as one JDBC batch each (ids from
 * {@link RowIds}). An item changed by someone else since it was loaded (its {@code lock_version}
 * moved) fails the chunk with a {@link jakarta.persistence.OptimisticLockException}, as JPA's
 * {@code @Version} would.
 */
@ApplicationScoped
public class BucketRecorder {

    static final int MAX_ERROR = 4000;
    private static final Logger LOG = Logger.getLogger(BucketRecorder.class.getName());
    /** The longest reason an attempt keeps. */
    public static final int MAX_REASON = BucketStore.MAX_REASON;

    @Inject
    RowIds rowIds;

    @Inject
    ChunkTransaction chunk;

    /**
     * @param runId       the retry run (AUTO/MANUAL), else null
     * @param executionId the main execution (MAIN), else null
     */
    public void recordAll(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                          Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes) {
        record(deploymentId, nodeName, trigger, runId, executionId, at, timeLapseMinutes, outcomes, null, Map.of(), Set.of());
    }

    /**
     * {@link #recordAll} for a retry run's claimed items, as its claim read them: the claim locked
     * their rows in this same transaction, so they are current and nothing needs loading.
     *
     * @param claimed   the items (of this deployment), as a claim locked them ({@link BucketStore#lock})
     * @param overrides the operators' overrides applied to this chunk, by item id: their attempts carry
     *                  the override's user and reason, and a success drops the override
     * @param skippedForOutage source ids whose outcome failed because their app is DOWN: each gets a
     *                  {@code SKIPPED_OUTAGE} attempt and its item stays as it was
     */
    public void recordClaimed(long deploymentId, String nodeName, Trigger trigger, long runId, Instant at,
                              int timeLapseMinutes, List<RecordOutcome> outcomes, List<BucketItem> claimed,
                              Map<Long, BucketOverrides.Override> overrides, Set<String> skippedForOutage) {
        var items = new HashMap<String, BucketItem>(claimed.size() * 2);
        claimed.forEach(item -> items.put(item.getSourceId(), item));
        record(deploymentId, nodeName, trigger, runId, null, at, timeLapseMinutes, outcomes, items, overrides, skippedForOutage);
    }

    private void record(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                        Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes, Map<String, BucketItem> claimed,
                        Map<Long, BucketOverrides.Override> overrides, Set<String> skippedForOutage) {
        if (outcomes.isEmpty()) {
            return;
        }
        try (var connection = chunk.connection("recording outcomes in the bucket")) {
            Map<String, BucketItem> items = claimed == null
                    ? BucketStore.load(connection, deploymentId, outcomes.stream().map(RecordOutcome::sourceId).distinct().toList())
                    : claimed;
            var created = new LinkedHashSet<BucketItem>();
            var changed = new LinkedHashSet<BucketItem>();
            var applied = new ArrayList<Long>();
            try (var attempts = new BucketStore.Attempts(connection)) {
                for (RecordOutcome outcome : outcomes) {
                    BucketItem item = items.get(outcome.sourceId());
                    var kind = skippedForOutage.contains(outcome.sourceId()) ? Attempt.Outcome.SKIPPED_OUTAGE
                            : outcome.success() ? Attempt.Outcome.SUCCESS : Attempt.Outcome.FAILED;
                    if (item == null) {
                        if (outcome.success()) {
                            continue; // MAIN success of a record that never failed: nothing to keep
                        }
                        if (trigger != Trigger.MAIN) {
                            LOG.warning(() -> "No bucket item for " + outcome.sourceId() + " of deployment " + deploymentId + "; outcome dropped");
                            continue;
                        }
                        item = new BucketItem(rowIds.next(connection), deploymentId, outcome.sourceId(), nodeName, at);
                        created.add(item);
                        items.put(outcome.sourceId(), item);
                    }
                    if (apply(item, nodeName, trigger, kind, outcome, at, timeLapseMinutes) && !created.contains(item)) {
                        changed.add(item);
                    }
                    var override = overrides.get(item.getId());
                    if (override != null && outcome.success()) {
                        applied.add(item.getId());
                    }
                    addAttempt(attempts, rowIds.next(connection), item.getId(), at, trigger, kind, outcome, runId, executionId,
                            override == null ? null : override.user(), override == null ? null : "override: " + override.reason());
                }
                BucketStore.insert(connection, created);
                BucketStore.update(connection, changed);
                BucketOverrides.delete(connection, applied);
                // after the items: an attempt references its item
                attempts.execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record outcomes in the bucket of deployment " + deploymentId + ": " + e.getMessage(), e);
        }
    }

    /** Applies one outcome to its item, by the item's rules ({@link BucketItem#attempted}); true when the item changed. */
    static boolean apply(BucketItem item, String nodeName, Trigger trigger, Attempt.Outcome kind, RecordOutcome outcome, Instant at,
                         int timeLapseMinutes) {
        if (kind == Attempt.Outcome.SKIPPED_OUTAGE) {
            return item.attempted(trigger, kind, outcome.errorClass(), cut(outcome.error()), at, timeLapseMinutes);
        }
        if (nodeName != null) {
            item.setNodeName(nodeName);
        }
        return item.attempted(trigger, kind, outcome.errorClass(), outcome.success() ? null : cut(outcome.error()), at, timeLapseMinutes);
    }

    private static void addAttempt(BucketStore.Attempts attempts, long id, long itemId, Instant at, Trigger trigger, Attempt.Outcome kind,
                                   RecordOutcome outcome, Long runId, Long executionId, String user, String reason) throws SQLException {
        attempts.add(id, itemId, at, trigger, kind, outcome.success() ? null : outcome.errorClass(),
                outcome.success() ? null : cut(outcome.error()), runId, executionId, user, reason);
    }

    /**
     * Discards the deployment's FAILED items among {@code itemIds} by the item's rule
     * ({@link BucketItem#discard}) in the caller's transaction: their rows locked by primary key (a
     * run's chunk holding one is waited for), each changed item with a DISCARD attempt carrying
     * {@code user} and {@code reason}, and its override dropped. Items of other deployments, succeeded
     * and already discarded ones are left alone.
     *
     * @return how many items were discarded
     */
    public int discard(long deploymentId, List<Long> itemIds, Instant at, String user, String reason) {
        if (itemIds.isEmpty()) {
            return 0;
        }
        try (var connection = chunk.connection("discarding bucket items")) {
            var items = BucketStore.lockFailed(connection, deploymentId, itemIds);
            try (var attempts = new BucketStore.Attempts(connection)) {
                for (BucketItem item : items) {
                    item.discard(at);
                    attempts.add(rowIds.next(connection), item.getId(), at, Trigger.DISCARD, Attempt.Outcome.DISCARDED,
                            null, null, null, null, user, reason);
                }
                BucketStore.discarded(connection, items);
                attempts.execute();
            }
            BucketOverrides.delete(connection, items.stream().map(BucketItem::getId).toList());
            return items.size();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot discard bucket items of deployment " + deploymentId + ": " + e.getMessage(), e);
        }
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
