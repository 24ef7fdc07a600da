package io.flowretry.deployments.entity;

/** Whether the main run of a deployed flow is started by an operator ({@link #MANUAL}) or every few minutes ({@link #AUTO}). */
public enum SyncMode {
    MANUAL,
    AUTO
}
