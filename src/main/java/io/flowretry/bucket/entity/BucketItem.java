package io.flowretry.bucket.entity;

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
 * the main execution counts in neither. {@code nextAttemptAt} (last attempt + time lapse) is the
 * due time the retry compares. Written only by {@code BucketRecorder} (outcomes); a retry run claims
 * an item by locking its row for one chunk ({@code BucketClaims}).
 */
@Entity
@Table(name = "bucket_items")
public class BucketItem extends Identified {

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
    public BucketItem(long id, long deploymentId, String sourceId, String nodeName, int tries, int autoTries,
                      Instant createdAt, long lockVersion) {
        this(id, deploymentId, sourceId, nodeName, createdAt);
        this.tries = tries;
        this.autoTries = autoTries;
        this.lockVersion = lockVersion;
    }

    /** Records an attempt's result; the state rules live in {@code BucketRecorder}. */
    public void attempted(BucketStatus status, QueueState queueState, Instant at, Instant nextAttemptAt,
                          ErrorClass errorClass, String lastError) {
        this.status = status;
        this.queueState = queueState;
        this.lastAttemptAt = at;
        this.nextAttemptAt = nextAttemptAt;
        this.errorClass = errorClass;
        this.lastError = lastError;
    }

    public void countTry(boolean automatic) {
        tries++;
        if (automatic) {
            autoTries++;
        }
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

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
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
