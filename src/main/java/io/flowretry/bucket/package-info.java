/**
 * The resync bucket: one item per (deployment, source id) that ever failed, with every attempt
 * kept. Only {@code BucketRecorder} turns outcomes into item changes (MAIN, AUTO, MANUAL alike);
 * {@code queue_state} keeps items that cannot be auto-due out of the due index. Reads page with
 * keyset cursors (never OFFSET), filter by prefix with an index-friendly range, offer only the
 * filters and orders an index serves (BucketViewPlansTest), and count up to 10,000.
 */
package io.flowretry.bucket;
