/**
 * Prometheus metrics at {@code /metrics}: a Micrometer registry inside the WAR, served by the WAR's
 * own servlet (the same on Payara, whose MicroProfile Metrics is off in domain.xml, and on WildFly).
 * Gauges read the database at most once per {@code FLOWRETRY_METRICS_REFRESH_SECONDS}, with queries
 * an index answers; run counters count the runs this server ended (Prometheus sums the servers).
 * Reads every area's tables and observes {@code RunEnded}; no area depends on it.
 */
package io.flowretry.metrics;
