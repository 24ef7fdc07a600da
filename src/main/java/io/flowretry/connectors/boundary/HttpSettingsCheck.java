package io.flowretry.connectors.boundary;

import io.flowretry.connectors.control.UrlSecrets;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import io.flowretry.kernel.Validation;

import java.util.List;

/**
 * The checks of an HTTP connection's {@link HttpLimits} and {@link HttpAuth}, each failure naming its field
 * ({@code maxConcurrency}, {@code auth.tokenUrl}, ...). A {@code tokenUrl} passes the same checks as the base URL.
 */
final class HttpSettingsCheck {

    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final double MAX_REQUESTS_PER_SECOND = 10_000;

    private HttpSettingsCheck() {
    }

    static void check(HttpLimits limits, HttpAuth auth, Validation v) {
        if (limits != null) {
            v.range(limits.maxConcurrency(), HttpLimits.MIN_CONCURRENCY, HttpLimits.MAX_CONCURRENCY, "maxConcurrency")
                    .check(limits.requestsPerSecond() == null || limits.requestsPerSecond() > 0
                                    && limits.requestsPerSecond() <= MAX_REQUESTS_PER_SECOND,
                            "requestsPerSecond", "must be greater than 0 and at most " + (int) MAX_REQUESTS_PER_SECOND)
                    .range(limits.connectTimeoutSeconds(), 1, MAX_TIMEOUT_SECONDS, "connectTimeoutSeconds")
                    .range(limits.requestTimeoutSeconds(), 1, MAX_TIMEOUT_SECONDS, "requestTimeoutSeconds");
        }
        if (auth == null) {
            return;
        }
        v.require("auth.type", auth.type());
        if (auth.type() == null) {
            return;
        }
        switch (auth.type()) {
            case HttpAuth.BASIC -> v.require("auth.username", auth.username())
                    .check(auth.username() == null || !auth.username().contains(":"), "auth.username", "may not contain ':'")
                    .require("auth.password", auth.password());
            case HttpAuth.BEARER -> v.require("auth.token", auth.token());
            case HttpAuth.OAUTH2 -> {
                v.require("auth.tokenUrl", auth.tokenUrl())
                        .check(auth.tokenUrl() == null || auth.tokenUrl().isBlank() || Connections.isHttpUrl(auth.tokenUrl()),
                                "auth.tokenUrl", "must be an absolute http:// or https:// URL with a host (no spaces)")
                        .maxLength(auth.tokenUrl(), 1000, "auth.tokenUrl")
                        .require("auth.clientId", auth.clientId())
                        .require("auth.clientSecret", auth.clientSecret())
                        .maxLength(auth.scope(), 1000, "auth.scope");
            }
            default -> v.check(false, "auth.type", "must be one of " + List.of(HttpAuth.BASIC, HttpAuth.BEARER, HttpAuth.OAUTH2));
        }
        for (var secret : new String[]{auth.username(), auth.password(), auth.token(), auth.clientId(), auth.clientSecret(), auth.scope()}) {
            v.check(secret == null || !secret.contains("\n") && !secret.contains("\r"), "auth", "values must be single-line");
        }
        v.check(String.valueOf(auth.username()).length() + String.valueOf(auth.password()).length()
                + String.valueOf(auth.token()).length() + String.valueOf(auth.clientSecret()).length() <= 3000, "auth", "is too long");
    }

    static HttpAuth trimmed(HttpAuth auth) {
        if (auth == null) {
            return null;
        }
        return new HttpAuth(auth.type(), auth.username(), auth.password(), auth.token(),
                auth.tokenUrl() == null ? null : auth.tokenUrl().trim(), auth.clientId(), auth.clientSecret(), auth.scope());
    }

    /** The auth as sent, its {@code "***"} secrets (and a token URL's masked password) replaced by the stored ones. */
    static HttpAuth keepStored(HttpAuth sent, HttpAuth stored) {
        if (sent == null) {
            return null;
        }
        var kept = sent.keepingSecretsOf(stored, Connections.MASK);
        if (stored != null && kept.tokenUrl() != null && stored.tokenUrl() != null) {
            kept = new HttpAuth(kept.type(), kept.username(), kept.password(), kept.token(),
                    UrlSecrets.keepStored(kept.tokenUrl(), stored.tokenUrl()), kept.clientId(), kept.clientSecret(), kept.scope());
        }
        return kept;
    }
}
