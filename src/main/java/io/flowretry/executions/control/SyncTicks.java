package io.flowretry.executions.control;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@code sync AUTO} runs a deployment: every {@code every} from its deployment time
 * ({@code anchor}), on the injected clock. The next tick is the first one after {@code now}, so a
 * server that was down, or a test clock that jumped, does not run the missed ticks one by one.
 */
public final class SyncTicks {

    private SyncTicks() {
    }

    public static Instant next(Instant anchor, Duration every, Instant now) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
        if (now.isBefore(anchor)) {
            return anchor.plus(every);
        }
        long ticks = Duration.between(anchor, now).toMillis() / every.toMillis() + 1;
        return anchor.plus(every.multipliedBy(ticks));
    }
}
