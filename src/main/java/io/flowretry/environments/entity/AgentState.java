package io.flowretry.environments.entity;

/** CONNECTED: heartbeat fresher than the lease; DISCONNECTED: older; DETACHED: not attached to the environment. */
public enum AgentState {
    CONNECTED, DISCONNECTED, DETACHED
}
