/**
 * The resync bucket: one item per (deployment, source id) that ever failed, with every attempt
 * kept. Only {@code BucketRecorder} turns outcomes into item changes (MAIN, AUTO, MANUAL alike);
 * {@code queue_state} keeps items that cannot be auto-due out of the due index. Reads page by
 * source id with keyset cursors (never OFFSET) and filter by prefix with an index-friendly range.
 */
package io.flowretry.bucket;
