/**
 * Cross-cutting plumbing every area stands on: the JAX-RS application, problem+json errors,
 * the single {@link java.time.Clock}, configuration, the schema migrations run at startup, the key
 * that seals secrets at rest. Rules: errors leave the API only as {@code application/problem+json};
 * request bodies are type-checked and size-limited and state changes need JSON from the same origin;
 * all "now" comes from the injected clock; the schema changes only through versioned migrations; the
 * application's database is looked up only by {@link io.flowretry.platform.control.AppDataSource#NAME},
 * which each server maps (no server's own JNDI name in the code).
 * Batch jobs start and stop only through {@code Jobs} (a managed executor's task), and every
 * server sweeps its runs every lease / 2 ({@code RunSweeps}).
 */
package io.flowretry.platform;
