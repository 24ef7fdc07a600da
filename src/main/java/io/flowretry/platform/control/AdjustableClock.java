package io.flowretry.platform.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs at the real pace but may be set to another "now": the real time plus an
 * offset. Only for tests (see {@link ClockProducer}): timers still wait real time, but they compute
 * their delay from this clock, so setting it just before a slot makes the slot's timer fire soon.
 */
public final class AdjustableClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public AdjustableClock(Clock base) {
        this.base = base;
    }

    /** From now on, {@link #instant()} starts at {@code now} and runs on. */
    public void set(Instant now) {
        offset = Duration.between(base.instant(), now);
    }

    /** The offset from the real time: what the fleet shares through the database ({@link FleetState}). */
    public Duration offset() {
        return offset;
    }

    public void setOffset(Duration offset) {
        this.offset = offset;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(base, offset).withZone(zone);
    }
}
