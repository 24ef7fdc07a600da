/**
 * Retry runs and their snapshots: every run (AUTO, MANUAL, SKIPPED) leaves a {@code RetryRun}
 * with its trigger, starter, times, flow version, retry settings and counters, and one
 * {@code RunItem} per record tried (input as re-read, output written or attempted, outcome,
 * error; payloads over 64 KiB cut with a marker). Items are read by keyset, never by offset. The
 * runs' plain-JDBC statements on {@code retry_runs}, {@code run_items} and {@code run_workers} are
 * {@code RunStore}'s (a chunk's record in the chunk's transaction; the workers' rows each in its own).
 */
package io.flowretry.snapshots;
