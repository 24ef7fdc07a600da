package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import io.flowretry.kernel.ErrorClass;

import java.util.concurrent.Semaphore;

/**
 * One HTTP app's share of this server, used by every run that calls it: at most
 * {@code maxConcurrency} requests in flight, at most {@code requestsPerSecond} started (when set), and
 * its cached OAuth2 token. {@link Connectors} keeps one per app and makes a new one when the
 * connection's limits or auth change.
 */
final class HttpGate {

    private final HttpLimits limits;
    private final HttpAuth auth;
    private final Semaphore inFlight;
    private final TokenBucket rate;
    private final OAuth2Tokens tokens;

    HttpGate(HttpLimits limits, HttpAuth auth) {
        this.limits = limits;
        this.auth = auth;
        this.inFlight = new Semaphore(limits.concurrency(), true);
        this.rate = limits.requestsPerSecond() == null ? null : new TokenBucket(limits.requestsPerSecond());
        this.tokens = auth != null && auth.isOAuth2() ? new OAuth2Tokens(auth, System::nanoTime) : null;
    }

    boolean fits(HttpLimits limits, HttpAuth auth) {
        return this.limits.equals(limits) && java.util.Objects.equals(this.auth, auth);
    }

    /** Null unless the app signs in with OAuth2 client credentials. */
    OAuth2Tokens tokens() {
        return tokens;
    }

    /** Waits for a free slot (and a rate token); the caller must {@link #release} it. */
    void enter(String call) throws ConnectorException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorClass.TRANSIENT, call + ": interrupted");
        }
        try {
            pace();
        } catch (ConnectorException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Waits for the next rate token (every request sent counts, a re-send after a 401 too). */
    void pace() throws ConnectorException {
        if (rate == null) {
            return;
        }
        try {
            rate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorClass.TRANSIENT, "interrupted");
        }
    }

    void release() {
        inFlight.release();
    }
}
