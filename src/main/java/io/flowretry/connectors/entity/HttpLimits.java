package io.flowretry.connectors.entity;

/**
 * An HTTP connection's own limits, each null for the default: in-flight requests per server
 * ({@value #DEFAULT_MAX_CONCURRENCY} when null, {@value #MIN_CONCURRENCY}–{@value #MAX_CONCURRENCY}),
 * requests per second per server (none when null), and connect and request time-outs in seconds
 * (the server-wide settings when null).
 */
public record HttpLimits(Integer maxConcurrency, Double requestsPerSecond, Integer connectTimeoutSeconds,
                         Integer requestTimeoutSeconds) {

    public static final int DEFAULT_MAX_CONCURRENCY = 8;
    public static final int MIN_CONCURRENCY = 1;
    public static final int MAX_CONCURRENCY = 64;
    public static final HttpLimits DEFAULTS = new HttpLimits(null, null, null, null);

    public int concurrency() {
        return maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
    }
}
