package io.flowretry.connectors.control;

/**
 * Fired (synchronously, in the deleting transaction) before a connection is deleted. The areas
 * that use connections (flows) observe it and throw a {@link io.flowretry.kernel.ConflictException}
 * naming what still uses it: connectors cannot look at them itself, dependencies go the other way.
 */
public record ConnectionDeleting(long connectionId, String name) {
}
