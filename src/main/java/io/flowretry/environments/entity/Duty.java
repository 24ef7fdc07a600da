package io.flowretry.environments.entity;

/**
 * What this agent does with an environment's work (an execution, a retry run, a sync tick or a
 * retry slot), judged at the moment the work comes up. The environment is <em>runnable</em> while
 * it is active and has at least one CONNECTED attached agent.
 */
public enum Duty {

    /** Runnable, and this agent is attached: it runs the work itself. */
    RUN_HERE,

    /**
     * Runnable, but this agent is not attached: an attached, connected agent runs the work. A
     * request made here is stored for them to claim; a timer firing here does nothing.
     */
    LEAVE_TO_ATTACHED,

    /** Not runnable: nothing runs; a request is refused (409) and a slot is SKIPPED, with the reason. */
    REFUSE;

    public static Duty of(boolean runnable, boolean attachedHere) {
        if (!runnable) {
            return REFUSE;
        }
        return attachedHere ? RUN_HERE : LEAVE_TO_ATTACHED;
    }
}
