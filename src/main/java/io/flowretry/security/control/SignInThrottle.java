package io.flowretry.security.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Failed sign-ins (HTTP Basic and the console form) are counted per user name and per client address:
 * {@code FLOWRETRY_SIGNIN_MAX_FAILURES} (default {@value #DEFAULT_MAX_FAILURES}) failures within a
 * minute lock that user, or that address, for 30 s, doubling with each further lock-out up to 15 min.
 * While locked, no password is checked (429 with {@code Retry-After}, or a console message). A success
 * resets both counts. Each lock-out is logged once. Kept in memory: each server counts for itself.
 */
@ApplicationScoped
public class SignInThrottle {

    public static final int DEFAULT_MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    static final int MAX_RECORDS = 50_000;
    private static final Logger LOG = Logger.getLogger(SignInThrottle.class.getName());

    /** The failures of one user or address: their times within the window, the lock-outs so far, locked until. */
    private static final class Record {
        final Deque<Instant> failures = new ArrayDeque<>();
        int lockouts;
        Instant lockedUntil = Instant.MIN;
    }

    private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SIGNIN_MAX_FAILURES", defaultValue = "" + DEFAULT_MAX_FAILURES)
    int maxFailures;

    /** For the CDI proxy and tests. */
    public SignInThrottle() {
    }

    SignInThrottle(Clock clock, int maxFailures) {
        this.clock = clock;
        this.maxFailures = maxFailures;
    }

    /** How long the user or the address is still locked out; empty when a sign-in may be tried. */
    public Optional<Duration> lockedFor(String user, String address) {
        var now = clock.instant();
        var longest = Duration.ZERO;
        for (String key : new String[]{userKey(user), addressKey(address)}) {
            var record = records.get(key);
            if (record != null) {
                synchronized (record) {
                    if (record.lockedUntil.isAfter(now)) {
                        var left = Duration.between(now, record.lockedUntil);
                        longest = left.compareTo(longest) > 0 ? left : longest;
                    }
                }
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public void failed(String user, String address) {
        fail(userKey(user), "user " + user + " (last from " + address + ")");
        fail(addressKey(address), "client address " + address + " (last as user " + user + ")");
    }

    public void succeeded(String user, String address) {
        records.remove(userKey(user));
        records.remove(addressKey(address));
    }

    private void fail(String key, String who) {
        var now = clock.instant();
        if (records.size() > MAX_RECORDS) {
            // many made-up user names: forget those that lock nothing
            records.values().removeIf(r -> {
                synchronized (r) {
                    return !r.lockedUntil.isAfter(now);
                }
            });
        }
        var record = records.computeIfAbsent(key, k -> new Record());
        Duration lock = null;
        synchronized (record) {
            while (!record.failures.isEmpty() && !record.failures.peekFirst().isAfter(now.minus(WINDOW))) {
                record.failures.pollFirst();
            }
            record.failures.addLast(now);
            if (record.failures.size() >= maxFailures && !record.lockedUntil.isAfter(now)) {
                record.lockouts++;
                lock = FIRST_LOCK.multipliedBy(1L << Math.min(record.lockouts - 1, 10));
                lock = lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
                record.lockedUntil = now.plus(lock);
                record.failures.clear();
            }
        }
        if (lock != null) {
            var seconds = lock.toSeconds();
            LOG.warning(() -> "Sign-in locked for " + seconds + " s after " + maxFailures + " failed sign-ins within a minute: " + who);
        }
    }

    private static String userKey(String user) {
        return "user:" + (user == null ? "" : user);
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "" : address);
    }
}
