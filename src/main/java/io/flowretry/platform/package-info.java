/**
 * Cross-cutting plumbing every area stands on: the JAX-RS application, problem+json errors,
 * the single {@link java.time.Clock}, configuration and the schema migrations run at startup.
 * Rules: errors leave the API only as {@code application/problem+json}; all "now" comes from
 * the injected clock; the schema changes only through versioned migrations; batch jobs start and
 * stop only through {@code Jobs} (a managed executor's task), and every server sweeps its runs
 * every lease / 2 ({@code RunSweeps}).
 */
package io.flowretry.platform;
