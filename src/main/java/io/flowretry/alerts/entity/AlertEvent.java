package io.flowretry.alerts.entity;

/**
 * What a channel can be told. CONNECTION_DOWN is accepted but not raised yet: nothing checks a
 * connection between runs until the connections' status exists. TEST is the "send test" button's.
 */
public enum AlertEvent {
    RECORD_EXHAUSTED, RUN_FAILED, CONNECTION_DOWN, BUCKET_DEPTH, TEST
}
