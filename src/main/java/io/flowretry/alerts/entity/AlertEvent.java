package io.flowretry.alerts.entity;

/**
 * What a channel can be told. CONNECTION_DOWN: a connection's circuit breaker opened (its quiet
 * period is per connection: the delivery's deployment key holds the connection's id). TEST is the
 * "send test" button's.
 */
public enum AlertEvent {
    RECORD_EXHAUSTED, RUN_FAILED, CONNECTION_DOWN, BUCKET_DEPTH, TEST
}
