package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.ErrorClass;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.bucket.entity.Trigger;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.retry.control.DueRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Every outcome of a run — main execution (MAIN), automatic retry (AUTO) or manual resync
 * (MANUAL) — goes into the bucket through here, in the caller's transaction (a chunk's):
 * <ul>
 * <li>MAIN: a failure creates or updates the record's item (status FAILED, timestamp, error, class;
 * tries untouched); a success marks an existing item SUCCESS and creates none.</li>
 * <li>AUTO/MANUAL: tries + 1, AUTO also autoTries + 1 (the item exists: it was picked from the bucket).</li>
 * <li>{@code queue_state}: SUCCESS → RESOLVED; SOURCE_MISSING → PARKED; autoTries ≥
 * {@link DueRule#MAX_AUTO_TRIES} → EXHAUSTED; else QUEUED. {@code next_attempt_at} = at + time lapse.
 * The item's claim is released.</li>
 * <li>Every outcome that touches an item appends an {@link Attempt}.</li>
 * </ul>
 * Two queries load the chunk's existing items (their ids by the unique index, then the items by
 * primary key); inserts and updates go out as JDBC batches.
 */
@ApplicationScoped
public class BucketRecorder {

    /** Source ids per {@code IN} list when loading a chunk's items. */
    static final int IN_SLICE = 500;
    static final int MAX_ERROR = 4000;
    private static final Logger LOG = Logger.getLogger(BucketRecorder.class.getName());

    @PersistenceContext
    EntityManager em;

    /**
     * @param runId       the retry run (AUTO/MANUAL), else null
     * @param executionId the main execution (MAIN), else null
     */
    @Transactional
    public void recordAll(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                          Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes) {
        record(deploymentId, nodeName, trigger, runId, executionId, at, timeLapseMinutes, outcomes, null);
    }

    /**
     * {@link #recordAll} for a retry run's claimed items, whose ids the caller knows: they are
     * loaded by primary key (one query instead of two).
     *
     * @param itemIds the bucket items' ids (of this deployment), in any order
     */
    @Transactional
    public void recordClaimed(long deploymentId, String nodeName, Trigger trigger, long runId, Instant at,
                              int timeLapseMinutes, List<RecordOutcome> outcomes, List<Long> itemIds) {
        record(deploymentId, nodeName, trigger, runId, null, at, timeLapseMinutes, outcomes, itemIds);
    }

    private void record(long deploymentId, String nodeName, Trigger trigger, Long runId, Long executionId,
                        Instant at, int timeLapseMinutes, List<RecordOutcome> outcomes, List<Long> itemIds) {
        if (outcomes.isEmpty()) {
            return;
        }
        Map<String, BucketItem> items = itemIds == null ? load(deploymentId, outcomes) : loadById(deploymentId, itemIds);
        List<Attempt> attempts = new ArrayList<>(outcomes.size());
        for (RecordOutcome outcome : outcomes) {
            BucketItem item = items.get(outcome.sourceId());
            if (item == null) {
                if (outcome.success()) {
                    continue; // MAIN success of a record that never failed: nothing to keep
                }
                if (trigger != Trigger.MAIN) {
                    LOG.warning(() -> "No bucket item for " + outcome.sourceId() + " of deployment " + deploymentId + "; outcome dropped");
                    continue;
                }
                item = new BucketItem(deploymentId, outcome.sourceId(), nodeName, at);
                em.persist(item);
                items.put(outcome.sourceId(), item);
            }
            apply(item, nodeName, trigger, outcome, at, timeLapseMinutes);
            attempts.add(new Attempt(item.getId(), at, trigger,
                    outcome.success() ? Attempt.Outcome.SUCCESS : Attempt.Outcome.FAILED,
                    outcome.success() ? null : outcome.errorClass(), cut(outcome.error()), runId, executionId));
        }
        // attempts reference items by a plain column: EclipseLink would order the inserts arbitrarily
        // (and the foreign key fails), so the items go first
        em.flush();
        attempts.forEach(em::persist);
        em.flush();
    }

    /** Applies one outcome to its item, by the rules above. */
    static void apply(BucketItem item, String nodeName, Trigger trigger, RecordOutcome outcome, Instant at, int timeLapseMinutes) {
        if (trigger != Trigger.MAIN) {
            item.countTry(trigger == Trigger.AUTO);
        }
        if (nodeName != null) {
            item.setNodeName(nodeName);
        }
        BucketStatus status = outcome.success() ? BucketStatus.SUCCESS : BucketStatus.FAILED;
        ErrorClass errorClass = outcome.success() ? null
                : outcome.errorClass() == null ? ErrorClass.TRANSIENT : outcome.errorClass();
        item.attempted(status, queueState(status, errorClass, item.getAutoTries()), at,
                DueRule.dueAt(at, timeLapseMinutes), errorClass, outcome.success() ? null : cut(outcome.error()));
    }

    /** Where an item goes after an attempt. */
    static QueueState queueState(BucketStatus status, ErrorClass errorClass, int autoTries) {
        if (status == BucketStatus.SUCCESS) {
            return QueueState.RESOLVED;
        }
        if (errorClass == ErrorClass.SOURCE_MISSING) {
            return QueueState.PARKED;
        }
        return DueRule.autoExhausted(autoTries) ? QueueState.EXHAUSTED : QueueState.QUEUED;
    }

    private Map<String, BucketItem> load(long deploymentId, List<RecordOutcome> outcomes) {
        var ids = new ArrayList<>(new LinkedHashSet<>(outcomes.stream().map(RecordOutcome::sourceId).toList()));
        Map<String, BucketItem> items = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += IN_SLICE) {
            var itemIds = itemIds(deploymentId, ids.subList(from, Math.min(ids.size(), from + IN_SLICE)));
            if (!itemIds.isEmpty()) {
                em.createQuery("select b from BucketItem b where b.id in :ids", BucketItem.class)
                        .setParameter("ids", itemIds)
                        .getResultList()
                        .forEach(item -> items.put(item.getSourceId(), item));
            }
        }
        return items;
    }

    /**
     * By primary key only: a {@code deployment_id} condition let PostgreSQL (with statistics from
     * before the bucket filled) scan the deployment's whole bucket per chunk. The deployment is
     * checked on the rows found.
     */
    private Map<String, BucketItem> loadById(long deploymentId, List<Long> itemIds) {
        Map<String, BucketItem> items = new HashMap<>(itemIds.size() * 2);
        for (int from = 0; from < itemIds.size(); from += IN_SLICE) {
            em.createQuery("select b from BucketItem b where b.id in :ids", BucketItem.class)
                    .setParameter("ids", itemIds.subList(from, Math.min(itemIds.size(), from + IN_SLICE)))
                    .getResultList().stream()
                    .filter(item -> item.getDeploymentId() == deploymentId)
                    .forEach(item -> items.put(item.getSourceId(), item));
        }
        return items;
    }

    /**
     * The ids of the deployment's items for these source ids, by a join with a {@code VALUES} list:
     * both databases then look each one up in the (deployment_id, source_id) index. A plain
     * {@code deployment_id = ? and source_id in (…)} makes H2 scan the deployment's whole bucket
     * (it uses an IN list only on an index's first column): quadratic over a run.
     */
    @SuppressWarnings("unchecked")
    private List<Long> itemIds(long deploymentId, List<String> sourceIds) {
        var query = em.createNativeQuery(valuesJoin(sourceIds.size()));
        int i = 0;
        for (String sourceId : sourceIds) {
            query.setParameter(++i, sourceId);
        }
        query.setParameter(++i, deploymentId);
        return ((List<Object>) query.getResultList()).stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** {@code select b.id from (values (?), …) v(sid) join bucket_items b on …}: the source ids, then the deployment. */
    static String valuesJoin(int n) {
        var rows = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            rows.append(i == 1 ? "" : ", ").append("(?").append(i).append(')');
        }
        return "select b.id from (values " + rows + ") as v(sid) join bucket_items b on b.source_id = v.sid"
                + " where b.deployment_id = ?" + (n + 1);
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
