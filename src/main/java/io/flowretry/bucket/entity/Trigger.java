package io.flowretry.bucket.entity;

/** What made an attempt: the flow's main execution, the automatic retry, or an operator's manual resync. */
public enum Trigger {
    MAIN,
    AUTO,
    MANUAL
}
