package io.flowretry.retry.control;

import io.flowretry.flows.control.RecordOutcome;

/** A claimed item after its resync: the outcome to record. */
public record ResyncedItem(long itemId, RecordOutcome outcome) {
}
