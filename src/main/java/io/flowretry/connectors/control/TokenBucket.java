package io.flowretry.connectors.control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} permits a second: a token bucket of one token, refilled one interval after
 * the previous permit was actually granted (no burst, and a caller woken late cannot bunch with the next
 * one), so the rate holds over any window. Callers queue in arrival order.
 */
final class TokenBucket {

    /** Sleeps for the given nanoseconds (a test's fake clock moves instead). */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final ReentrantLock turn = new ReentrantLock(true);
    private long lastGranted;
    private boolean granted;

    TokenBucket(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be > 0: " + perSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    TokenBucket(double perSecond) {
        this(perSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    void acquire() throws InterruptedException {
        turn.lockInterruptibly();
        try {
            long wait;
            while (granted && (wait = lastGranted + intervalNanos - nanoTime.getAsLong()) > 0) {
                sleeper.sleep(wait);
            }
            lastGranted = nanoTime.getAsLong();
            granted = true;
        } finally {
            turn.unlock();
        }
    }
}
