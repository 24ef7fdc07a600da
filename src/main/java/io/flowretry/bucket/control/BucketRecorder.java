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
 * One query loads the chunk's existing items; inserts and updates go out as JDBC batches.
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
        if (outcomes.isEmpty()) {
            return;
        }
        Map<String, BucketItem> items = load(deploymentId, outcomes);
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
            var slice = ids.subList(from, Math.min(ids.size(), from + IN_SLICE));
            em.createQuery("select b from BucketItem b where b.deploymentId = :deployment and b.sourceId in :ids", BucketItem.class)
                    .setParameter("deployment", deploymentId)
                    .setParameter("ids", slice)
                    .getResultList()
                    .forEach(item -> items.put(item.getSourceId(), item));
        }
        return items;
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
