package io.flowretry.retry.control;

import java.time.Instant;
import java.util.Optional;

/**
 * Which slot a deployment's timer waits for.
 * <ul>
 * <li>At startup, slots missed while no server ran are caught up by <b>one</b> run: the newest
 * slot at or before now, if it is newer than the newest slot any run claimed. Older missed slots
 * are not run (the catch-up run picks everything due anyway).</li>
 * <li>Otherwise the timer waits for the first slot strictly after now.</li>
 * <li>After a slot fired, the next one is the first slot strictly after both the fired slot and
 * now (a timer that fired late does not run the slots it overslept).</li>
 * </ul>
 */
public final class SlotPlan {

    private SlotPlan() {
    }

    /** The slot to run right away at startup, if one was missed. */
    public static Optional<Instant> catchUp(RetrySchedule schedule, Optional<Instant> lastClaimed, Instant now) {
        return schedule.latestSlotAtOrBefore(now)
                .filter(missed -> lastClaimed.map(missed::isAfter).orElse(true));
    }

    /** The slot the timer waits for: the caught-up one if any, else the next. */
    public static Instant atStartup(RetrySchedule schedule, Optional<Instant> lastClaimed, Instant now) {
        return catchUp(schedule, lastClaimed, now).orElseGet(() -> schedule.nextSlotAfter(now));
    }

    /** The slot after {@code fired}, never one already past at {@code now}. */
    public static Instant afterFired(RetrySchedule schedule, Instant fired, Instant now) {
        return schedule.nextSlotAfter(fired.isAfter(now) ? fired : now);
    }
}
