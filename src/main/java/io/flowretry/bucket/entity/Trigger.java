package io.flowretry.bucket.entity;

/**
 * What made an attempt: the flow's main execution, the automatic retry, an operator's manual
 * resync (the three runs), or an operator's discard (no run: the record leaves the queue).
 */
public enum Trigger {
    MAIN,
    AUTO,
    MANUAL,
    DISCARD;

    /** The triggers of runs, whose outcomes {@link BucketItem#attempted} applies. */
    public static final java.util.List<Trigger> RUNS = java.util.List.of(MAIN, AUTO, MANUAL);
}
