package io.flowretry.connectors.control;

/** A connection's breaker opened: the app is DOWN (fired in the transaction that put it DOWN). */
public record ConnectionWentDown(long connectionId, String name, String reason) {
}
