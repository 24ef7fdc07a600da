package io.flowretry.bucket.entity;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One attempt at a bucket item, kept forever: when, what triggered it, how it ended, the error, and
 * the retry run ({@code runId}, AUTO/MANUAL) or main execution ({@code executionId}, MAIN) it belonged to,
 * and where a person acted (DISCARD, a resync with an override) who and why.
 * Insert-only.
 */
@Entity
@Table(name = "attempts")
public class Attempt extends Identified {

    /** The outcome column's values; SKIPPED_OUTAGE: the record failed because its app was DOWN (counts no try). */
    public enum Outcome {
        SUCCESS,
        FAILED,
        /** an operator discarded the item (trigger DISCARD) */
        DISCARDED,
        /** the record failed because its app was DOWN: no try is counted */
        SKIPPED_OUTAGE
    }

    @Column(name = "item_id")
    private long itemId;

    @Column(name = "attempted_at")
    private Instant attemptedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_type")
    private Trigger trigger;

    @Enumerated(EnumType.STRING)
    private Outcome outcome;

    @Enumerated(EnumType.STRING)
    @Column(name = "error_class")
    private ErrorClass errorClass;

    private String error;

    @Column(name = "run_id")
    private Long runId;

    @Column(name = "execution_id")
    private Long executionId;

    /** who acted (a discard, a resync with an operator's override), else null */
    @Column(name = "user_name")
    private String user;

    /** why, as the operator said it, else null */
    private String reason;

    protected Attempt() {
    }

    public Attempt(long itemId, Instant attemptedAt, Trigger trigger, Outcome outcome, ErrorClass errorClass,
                   String error, Long runId, Long executionId) {
        this.itemId = itemId;
        this.attemptedAt = attemptedAt;
        this.trigger = trigger;
        this.outcome = outcome;
        this.errorClass = errorClass;
        this.error = error;
        this.runId = runId;
        this.executionId = executionId;
    }


    public long getItemId() {
        return itemId;
    }

    public Instant getAttemptedAt() {
        return attemptedAt;
    }

    public Trigger getTrigger() {
        return trigger;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public ErrorClass getErrorClass() {
        return errorClass;
    }

    public String getError() {
        return error;
    }

    public Long getRunId() {
        return runId;
    }

    public Long getExecutionId() {
        return executionId;
    }

    public String getUser() {
        return user;
    }

    public String getReason() {
        return reason;
    }
}
