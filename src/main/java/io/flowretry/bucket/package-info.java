/**
 * The resync bucket: one item per (deployment, source id) that ever failed, with every attempt
 * kept. The item owns its state machine ({@code BucketItem.attempted}: status, queue state, tries,
 * auto tries, due time; {@code MAX_AUTO_TRIES}); {@code BucketRecorder} only applies it to rows
 * (MAIN, AUTO, MANUAL alike), and {@code BucketStore} holds the runs' SQL of {@code bucket_items} and
 * {@code attempts} (claims, loads, writes); a SKIPPED_OUTAGE attempt (the app was DOWN) changes no item. The stored {@code queue_state} is the one meaning of "exhausted" for
 * the claims, the API and the console. Due = last attempt + the deployment's lapse now. Reads go
 * through {@code Buckets}, for the API and the console alike: they page with keyset cursors (never
 * OFFSET), offer only the filters and orders an index serves ({@code BucketFilter.invalid},
 * BucketViewPlansTest), and count up to 10,000 ({@code BucketTotal}); the filter, order, total and
 * page are {@code entity} values, the SQL of each is {@code BucketQueries}'. Operators' actions (discard, the override of an
 * item's input) go through {@code BucketActions}, for the API and the console alike, and are attempts
 * with user and reason.
 */
package io.flowretry.bucket;
