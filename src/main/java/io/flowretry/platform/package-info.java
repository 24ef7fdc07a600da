/**
 * Cross-cutting plumbing every area stands on: the JAX-RS application, problem+json errors,
 * the single {@link java.time.Clock}, configuration, the schema migrations run at startup, the key
 * that seals secrets at rest. Rules: errors leave the API only as {@code application/problem+json};
 * request bodies are type-checked and size-limited and state changes need JSON from the same origin;
 * all "now" comes from the injected clock; the schema changes only through versioned migrations.
 */
package io.flowretry.platform;
