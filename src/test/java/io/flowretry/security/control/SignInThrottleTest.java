package io.flowretry.security.control;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignInThrottleTest {

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Moving clock = new Moving();
    private final SignInThrottle throttle = new SignInThrottle(clock, 5);

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, address);
        }
    }

    @Test
    void five_failures_within_a_minute_lock_the_user_and_the_address_with_a_growing_delay_logged_once() {
        var lines = new ArrayList<String>();
        var handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(SignInThrottle.class.getName()).addHandler(handler);
        try {
            fail("ann", "10.0.0.1", 4);
            assertTrue(throttle.lockedFor("ann", "10.0.0.1").isEmpty(), "four failures lock nothing");
            fail("ann", "10.0.0.1", 1);
            assertEquals(Duration.ofSeconds(30), throttle.lockedFor("ann", "10.0.0.1").orElseThrow());
            assertEquals(Duration.ofSeconds(30), throttle.lockedFor("ann", "10.0.0.9").orElseThrow(), "the user, from anywhere");
            assertEquals(Duration.ofSeconds(30), throttle.lockedFor("bob", "10.0.0.1").orElseThrow(), "the address, for anyone");
            assertTrue(throttle.lockedFor("bob", "10.0.0.9").isEmpty());
            assertEquals(2, lines.size(), "one line for the user, one for the address: " + lines);

            clock.now = clock.now.plusSeconds(31);
            assertTrue(throttle.lockedFor("ann", "10.0.0.1").isEmpty(), "the lock ends");
            fail("ann", "10.0.0.1", 5);
            assertEquals(Duration.ofSeconds(60), throttle.lockedFor("ann", "10.0.0.1").orElseThrow(), "the second lock-out is longer");
            assertEquals(4, lines.size());
        } finally {
            Logger.getLogger(SignInThrottle.class.getName()).removeHandler(handler);
        }
    }

    @Test
    void failures_older_than_a_minute_do_not_count_and_a_success_resets() {
        fail("ann", "10.0.0.1", 4);
        clock.now = clock.now.plusSeconds(61);
        fail("ann", "10.0.0.1", 4);
        assertTrue(throttle.lockedFor("ann", "10.0.0.1").isEmpty());
        throttle.succeeded("ann", "10.0.0.1");
        fail("ann", "10.0.0.1", 4);
        assertTrue(throttle.lockedFor("ann", "10.0.0.1").isEmpty(), "the success reset the count");
        fail("ann", "10.0.0.1", 1);
        assertTrue(throttle.lockedFor("ann", "10.0.0.1").isPresent());
    }

    @Test
    void the_delay_stops_growing_at_fifteen_minutes() {
        for (int i = 0; i < 12; i++) {
            fail("ann", "10.0.0.1", 5);
            var locked = throttle.lockedFor("ann", "10.0.0.1").orElseThrow();
            assertTrue(locked.compareTo(Duration.ofMinutes(15)) <= 0, locked.toString());
            clock.now = clock.now.plus(locked).plusSeconds(1);
        }
        fail("ann", "10.0.0.1", 5);
        assertEquals(Duration.ofMinutes(15), throttle.lockedFor("ann", "10.0.0.1").orElseThrow());
    }
}
