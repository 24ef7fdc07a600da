package io.flowretry.snapshots.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One record tried by a retry run: the input as re-read from the source, the output written (or
 * attempted), the outcome and the error. Payloads are stored as JSON, cut at 64 KiB with a marker
 * (see {@code snapshots.control.Payloads}). Written once, never changed.
 */
@Entity
@Table(name = "run_items")
// the ORDER BY starts with the index's leading column (fixed by the WHERE): H2 then reads the
// index in order and stops after the page instead of sorting all the run's items
@NamedQuery(name = RunItem.PAGE,
        query = "select i from RunItem i where i.runId = :runId and i.id > :after order by i.runId, i.id")
public class RunItem extends Identified {

    public static final String PAGE = "RunItem.page";

    @Column(name = "run_id")
    private long runId;

    @Column(name = "item_id")
    private long itemId;

    @Column(name = "source_id")
    private String sourceId;

    /** SUCCESS or FAILED. */
    private String outcome;

    @Column(name = "error_class")
    private String errorClass;

    private String error;

    @Column(name = "input_json")
    private String inputJson;

    @Column(name = "output_json")
    private String outputJson;

    @Column(name = "attempted_at")
    private Instant attemptedAt;

    /** the operator's override the resync put over the input read (null: none) */
    @Column(name = "override_json")
    private String overrideJson;

    protected RunItem() {
    }

    public RunItem(long runId, long itemId, String sourceId, String outcome, String errorClass, String error,
                   String inputJson, String outputJson, Instant attemptedAt, String overrideJson) {
        this.runId = runId;
        this.itemId = itemId;
        this.sourceId = sourceId;
        this.outcome = outcome;
        this.errorClass = errorClass;
        this.error = error;
        this.inputJson = inputJson;
        this.outputJson = outputJson;
        this.attemptedAt = attemptedAt;
        this.overrideJson = overrideJson;
    }


    public long getRunId() {
        return runId;
    }

    public long getItemId() {
        return itemId;
    }

    public String getSourceId() {
        return sourceId;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getErrorClass() {
        return errorClass;
    }

    public String getError() {
        return error;
    }

    public String getInputJson() {
        return inputJson;
    }

    public String getOutputJson() {
        return outputJson;
    }

    public Instant getAttemptedAt() {
        return attemptedAt;
    }

    public String getOverrideJson() {
        return overrideJson;
    }
}
