package io.flowretry.retry.control;

import java.io.Serializable;

/** A bucket item the run has claimed, with its position in the read order. */
public record ClaimedItem(long itemId, String sourceId, ReadPosition position) implements Serializable {
}
