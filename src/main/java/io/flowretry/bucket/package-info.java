/**
 * The resync bucket: one item per (deployment, source id) that ever failed, with every attempt
 * kept. The item owns its state machine ({@code BucketItem.attempted}: status, queue state, tries,
 * auto tries, due time; {@code MAX_AUTO_TRIES}); {@code BucketRecorder} only applies it to rows
 * (MAIN, AUTO, MANUAL alike). The stored {@code queue_state} is the one meaning of "exhausted" for
 * the claims, the API and the console, and keeps items that cannot be auto-due out of the due
 * index. Due = last attempt + the deployment's lapse now. Reads page by
 * source id with keyset cursors (never OFFSET) and filter by prefix with an index-friendly range.
 */
package io.flowretry.bucket;
