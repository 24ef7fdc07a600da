/**
 * The resync bucket: one item per (deployment, source id) that ever failed, with every attempt
 * kept. The item owns its state machine ({@code BucketItem.attempted}: status, queue state, tries,
 * auto tries, due time; {@code MAX_AUTO_TRIES}); {@code BucketRecorder} only applies it to rows
 * (MAIN, AUTO, MANUAL alike). The stored {@code queue_state} is the one meaning of "exhausted" for
 * the claims, the API and the console. Due = last attempt + the deployment's lapse now. Reads page
 * with keyset cursors (never OFFSET), offer only the filters and orders an index serves
 * (BucketViewPlansTest), and count up to 10,000.
 */
package io.flowretry.bucket;
