package io.flowretry.platform.control;

/** Fired on every poll of the {@link FleetWatch}: what an agent that joins other agents' runs listens to. */
public record FleetPolled() {
}
