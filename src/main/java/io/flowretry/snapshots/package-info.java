/**
 * Retry runs and their snapshots: every run (AUTO, MANUAL, SKIPPED) leaves a {@code RetryRun}
 * with its trigger, starter, times, flow version, retry settings and counters, and one
 * {@code RunItem} per record tried (input as re-read, output written or attempted, outcome,
 * error; payloads over 64 KiB cut with a marker). Items are read by keyset, never by offset.
 */
package io.flowretry.snapshots;
