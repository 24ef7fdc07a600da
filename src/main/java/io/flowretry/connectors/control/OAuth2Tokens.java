package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpAuth;

import java.util.function.LongSupplier;

/**
 * An app's OAuth2 client-credentials token, fetched when first needed and kept until shortly before it
 * expires (by {@code expires_in}; without it, until the app answers 401). After a 401 the next caller
 * fetches a new one once: callers that saw the same rejected token get the new one, not a fetch each.
 */
final class OAuth2Tokens {

    /** Fetches a token from the token URL. */
    interface Fetch {
        Token fetch(HttpAuth auth) throws ConnectorException;
    }

    /** @param expiresInSeconds null when the token endpoint did not say */
    record Token(String accessToken, Long expiresInSeconds) {
    }

    private final HttpAuth auth;
    private final LongSupplier nanoTime;
    private String token;
    private long refreshAt;
    private boolean expires;

    OAuth2Tokens(HttpAuth auth, LongSupplier nanoTime) {
        this.auth = auth;
        this.nanoTime = nanoTime;
    }

    /** The cached token, or a new one when there is none or it is about to expire. */
    synchronized String current(Fetch fetch) throws ConnectorException {
        if (token == null || expires && nanoTime.getAsLong() - refreshAt >= 0) {
            load(fetch);
        }
        return token;
    }

    /** A token other than {@code rejected}: a new one, unless another caller fetched it already. */
    synchronized String after401(String rejected, Fetch fetch) throws ConnectorException {
        if (token == null || token.equals(rejected)) {
            load(fetch);
        }
        return token;
    }

    private void load(Fetch fetch) throws ConnectorException {
        long asked = nanoTime.getAsLong();
        var fetched = fetch.fetch(auth);
        token = fetched.accessToken();
        expires = fetched.expiresInSeconds() != null;
        if (expires) {
            long lifetime = Math.max(0, fetched.expiresInSeconds());
            // refresh a little early, so a token does not expire between the check and the app
            long early = Math.min(30, lifetime / 10);
            refreshAt = asked + (lifetime - early) * 1_000_000_000L;
        }
    }
}
