package io.flowretry.bucket.entity;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A record of a deployment's source that failed at least once: one per (deployment, source id).
 * {@code tries} counts resync attempts (auto and manual), {@code autoTries} the automatic ones;
 * the main execution counts in neither. The item owns its state rules ({@link #attempted}: status,
 * queue state, tries, auto tries, due time); it is due a time lapse after its last attempt, with the
 * deployment's lapse now ({@link #dueAt(int)}). Written only through {@code BucketRecorder} and its {@code BucketStore} (outcomes,
 * by these rules); a retry run claims an item by locking its row for one chunk ({@code BucketClaims}).
 */
@Entity
@Table(name = "bucket_items")
public class BucketItem extends Identified {

    /** Automatic tries per record; after that only a manual resync retries it. */
    public static final int MAX_AUTO_TRIES = 4;

    @Column(name = "deployment_id")
    private long deploymentId;

    @Column(name = "source_id")
    private String sourceId;

    @Column(name = "node_name")
    private String nodeName;

    @Enumerated(EnumType.STRING)
    private BucketStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "queue_state")
    private QueueState queueState;

    private int tries;

    @Column(name = "auto_tries")
    private int autoTries;

    @Column(name = "last_attempt_at")
    private Instant lastAttemptAt;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "error_class")
    private ErrorClass errorClass;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "created_at")
    private Instant createdAt;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected BucketItem() {
    }

    /** A new item for a record's first failure (fields are set by the recorder right after); {@code id} from {@code RowIds}. */
    public BucketItem(long id, long deploymentId, String sourceId, String nodeName, Instant createdAt) {
        super(id);
        this.deploymentId = deploymentId;
        this.sourceId = sourceId;
        this.nodeName = nodeName;
        this.createdAt = createdAt;
        this.lastAttemptAt = createdAt;
        this.nextAttemptAt = createdAt;
        this.status = BucketStatus.FAILED;
        this.queueState = QueueState.QUEUED;
    }

    /**
     * An item as the recorder reads it back before an attempt: the fields an attempt keeps or counts
     * on; {@link #attempted} sets all the others.
     */
    public BucketItem(long id, long deploymentId, String sourceId, String nodeName, BucketStatus status, int tries,
                      int autoTries, Instant createdAt, long lockVersion) {
        this(id, deploymentId, sourceId, nodeName, createdAt);
        this.status = status;
        this.tries = tries;
        this.autoTries = autoTries;
        this.lockVersion = lockVersion;
    }

    /**
     * The item's state machine: applies one attempt's outcome. {@code trigger} MAIN (the main
     * execution) counts no try; AUTO and MANUAL count one in {@code tries}, AUTO also in
     * {@code autoTries}. Then status (SUCCESS or FAILED, a failure without a class counting as
     * TRANSIENT), queue state ({@link #queueState(BucketStatus, ErrorClass, int)}), last attempt
     * {@code at}, the due time under the lapse given ({@code at + timeLapseMinutes}), error class and
     * text (cleared by a success). A DISCARDED item stays discarded when the main execution fails it
     * again (the operator took it out of the queue); any success, and any resync, decides anew.
     *
     * @throws IllegalArgumentException if {@code timeLapseMinutes} is negative or {@code trigger} is DISCARD
     */
    public void attempted(Trigger trigger, boolean success, ErrorClass errorClass, String error, Instant at, int timeLapseMinutes) {
        attempted(trigger, success ? Attempt.Outcome.SUCCESS : Attempt.Outcome.FAILED, errorClass, error, at, timeLapseMinutes);
    }

    /**
     * {@link #attempted(Trigger, boolean, ErrorClass, String, Instant, int)} by the attempt's outcome;
     * {@code SKIPPED_OUTAGE} (the record failed because its app was DOWN, it was not at fault) changes
     * nothing: no try, no auto try, the same status, queue state, error and last attempt, so the item
     * keeps its place in the due order and the paused run picks it again. True when the item changed.
     */
    public boolean attempted(Trigger trigger, Attempt.Outcome outcome, ErrorClass errorClass, String error, Instant at, int timeLapseMinutes) {
        if (timeLapseMinutes < 0) {
            throw new IllegalArgumentException("timeLapseMinutes must be >= 0, was " + timeLapseMinutes);
        }
        if (trigger == Trigger.DISCARD) {
            throw new IllegalArgumentException("a discard is no attempt of a run: use discard(at)");
        }
        if (outcome == Attempt.Outcome.SKIPPED_OUTAGE) {
            return false;
        }
        boolean success = outcome == Attempt.Outcome.SUCCESS;
        boolean staysDiscarded = status == BucketStatus.DISCARDED && trigger == Trigger.MAIN && !success;
        if (trigger != Trigger.MAIN) {
            tries++;
            if (trigger == Trigger.AUTO) {
                autoTries++;
            }
        }
        this.status = staysDiscarded ? BucketStatus.DISCARDED : success ? BucketStatus.SUCCESS : BucketStatus.FAILED;
        this.errorClass = success ? null : errorClass == null ? ErrorClass.TRANSIENT : errorClass;
        this.lastError = success ? null : error;
        this.queueState = queueState(status, this.errorClass, autoTries);
        this.lastAttemptAt = at;
        this.nextAttemptAt = at.plus(java.time.Duration.ofMinutes(timeLapseMinutes));
        return true;
    }

    /**
     * Where an item goes after an attempt: SUCCESS → RESOLVED; DISCARDED → DISCARDED; gone from the source → PARKED;
     * {@value #MAX_AUTO_TRIES} automatic tries used → EXHAUSTED; else QUEUED (due a lapse after its
     * last attempt). The stored queue state is what the claims, the API and the console read.
     */
    public static QueueState queueState(BucketStatus status, ErrorClass errorClass, int autoTries) {
        if (status == BucketStatus.SUCCESS) {
            return QueueState.RESOLVED;
        }
        if (status == BucketStatus.DISCARDED) {
            return QueueState.DISCARDED;
        }
        if (errorClass == ErrorClass.SOURCE_MISSING) {
            return QueueState.PARKED;
        }
        return autoTries >= MAX_AUTO_TRIES ? QueueState.EXHAUSTED : QueueState.QUEUED;
    }

    /** Whether an operator may discard the item: only a FAILED one (a succeeded one has nothing left to do). */
    public boolean isDiscardable() {
        return status == BucketStatus.FAILED;
    }

    /**
     * An operator takes the failed item out of the queue for good: status and queue state DISCARDED
     * (no automatic run claims it), tries unchanged, the last error kept (why it failed), the time
     * stamp {@code at} (retention counts from it). A manual resync by id brings it back.
     *
     * @throws IllegalStateException if the item is not {@link #isDiscardable() discardable}
     */
    public void discard(Instant at) {
        if (!isDiscardable()) {
            throw new IllegalStateException("Bucket item " + getId() + " is " + status + ": only a FAILED item can be discarded");
        }
        this.status = BucketStatus.DISCARDED;
        this.queueState = QueueState.DISCARDED;
        this.lastAttemptAt = at;
        this.nextAttemptAt = at;
    }

    /** Whether the automatic retry has given up on the item (only a manual resync touches it). */
    public boolean isExhausted() {
        return queueState == QueueState.EXHAUSTED;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }


    public long getDeploymentId() {
        return deploymentId;
    }

    public String getSourceId() {
        return sourceId;
    }

    public String getNodeName() {
        return nodeName;
    }

    public BucketStatus getStatus() {
        return status;
    }

    public QueueState getQueueState() {
        return queueState;
    }

    public int getTries() {
        return tries;
    }

    public int getAutoTries() {
        return autoTries;
    }

    public Instant getLastAttemptAt() {
        return lastAttemptAt;
    }

    /** The due time stored with the last attempt (its lapse then); due-ness reads {@link #dueAt(int)}. */
    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    /** When the item is due with the time lapse in force now: its last attempt plus the lapse. */
    public Instant dueAt(int timeLapseMinutes) {
        return lastAttemptAt.plus(java.time.Duration.ofMinutes(Math.max(0, timeLapseMinutes)));
    }

    /**
     * Whether the automatic retry running at {@code runAt} with the lapse in force then picks the
     * item: QUEUED (failed, automatic tries left, still at the source) and due. The claim's SQL
     * states the same ({@code queue_state = 'QUEUED' and last_attempt_at <= runAt - lapse}).
     */
    public boolean isDue(Instant runAt, int timeLapseMinutes) {
        return queueState == QueueState.QUEUED && !dueAt(timeLapseMinutes).isAfter(runAt);
    }

    public ErrorClass getErrorClass() {
        return errorClass;
    }

    public String getLastError() {
        return lastError;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getLockVersion() {
        return lockVersion;
    }
}
