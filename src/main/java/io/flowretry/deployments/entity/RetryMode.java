package io.flowretry.deployments.entity;

/**
 * Whether failed records of a deployment are retried on a schedule ({@link #AUTO}) or only
 * when an operator asks for it ({@link #MANUAL}).
 */
public enum RetryMode {
    MANUAL,
    AUTO
}
