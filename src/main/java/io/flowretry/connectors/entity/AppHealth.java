package io.flowretry.connectors.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one connection (app), shared by every run and server through its row. It
 * owns the rules: TRANSIENT failures in a row ({@link #unreachable}) count up, any answer
 * ({@link #answered}) resets the count; at the threshold the app is DOWN and is probed, first after
 * the shortest delay, then after twice the last one up to the longest; a {@code Retry-After} puts it
 * DOWN at once until then ({@link #backedOff}). A probe that answers puts it UP again.
 */
@Entity
@Table(name = "connection_health")
public class AppHealth {

    public enum State { UP, DOWN }

    @Id
    @Column(name = "connection_id")
    private long connectionId;

    @Enumerated(EnumType.STRING)
    private State state;

    private Instant since;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "checked_at")
    private Instant checkedAt;

    private int failures;

    @Column(name = "next_probe_at")
    private Instant nextProbeAt;

    @Column(name = "probe_delay_seconds")
    private int probeDelaySeconds;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected AppHealth() {
    }

    /** A healthy app's breaker, as a connection without a row reads. */
    public AppHealth(long connectionId, Instant since) {
        this.connectionId = connectionId;
        this.state = State.UP;
        this.since = since;
    }

    /** The app answered (a success, a DATA failure, a record gone from the source, a probe): the count restarts; a DOWN app is UP. */
    public void answered(Instant at) {
        failures = 0;
        checkedAt = at;
        if (state == State.DOWN) {
            state = State.UP;
            since = at;
            nextProbeAt = null;
            probeDelaySeconds = 0;
        }
    }

    /**
     * The app did not answer usably (refused, timed out, 5xx, 429): one more failure in a row; at
     * {@code threshold} it is DOWN, first probed after {@code firstProbe}. True when it is DOWN now.
     */
    public boolean unreachable(String error, Instant at, int threshold, Duration firstProbe) {
        failures++;
        lastError = cut(error);
        checkedAt = at;
        if (state == State.UP && failures >= Math.max(1, threshold)) {
            down(at, firstProbe);
        }
        return state == State.DOWN;
    }

    /** The app asked to be left alone ({@code Retry-After}): DOWN at once, probed no earlier than that. */
    public void backedOff(String error, Instant at, Duration retryAfter) {
        lastError = cut(error);
        checkedAt = at;
        failures++;
        var until = at.plus(retryAfter);
        if (state == State.UP) {
            down(at, retryAfter);
        } else if (nextProbeAt == null || nextProbeAt.isBefore(until)) {
            nextProbeAt = until;
        }
    }

    /** A probe of a DOWN app failed: the next one after twice the last delay, at most {@code longest}. */
    public void probeFailed(String error, Instant at, Duration longest) {
        lastError = cut(error);
        checkedAt = at;
        long next = Math.min(Math.max(1, 2L * probeDelaySeconds), Math.max(1, longest.toSeconds()));
        probeDelaySeconds = (int) next;
        nextProbeAt = at.plusSeconds(next);
    }

    /** A server probes the app now: no other probes it before this probe's result ({@link #answered} or {@link #probeFailed}). */
    public void probing(Instant at) {
        nextProbeAt = at.plusSeconds(Math.max(1, probeDelaySeconds));
    }

    /** Whether a DOWN app's next probe is due at {@code at}. */
    public boolean probeDue(Instant at) {
        return state == State.DOWN && nextProbeAt != null && !nextProbeAt.isAfter(at);
    }

    private void down(Instant at, Duration firstProbe) {
        state = State.DOWN;
        since = at;
        probeDelaySeconds = (int) Math.max(1, firstProbe.toSeconds());
        nextProbeAt = at.plus(firstProbe);
    }

    private static String cut(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 999) + "…";
    }

    public boolean isDown() {
        return state == State.DOWN;
    }

    public long getConnectionId() {
        return connectionId;
    }

    public State getState() {
        return state;
    }

    public Instant getSince() {
        return since;
    }

    public String getLastError() {
        return lastError;
    }

    public Instant getCheckedAt() {
        return checkedAt;
    }

    public int getFailures() {
        return failures;
    }

    public Instant getNextProbeAt() {
        return nextProbeAt;
    }

    public int getProbeDelaySeconds() {
        return probeDelaySeconds;
    }
}
