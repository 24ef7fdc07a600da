/**
 * The retry engine. Rules:
 * <ul>
 * <li>The database is the truth: slots are claimed by inserting their run (unique per deployment
 * and slot), items by locking their rows for one chunk ({@code for update skip locked}); EJB
 * timers are non-persistent and rebuilt from
 * the database (startup, deployment/environment changes, test clock moves).</li>
 * <li>Every retry run, AUTO or MANUAL, is an execution of the {@code resync-bucket} chunk job
 * (a restart is another); outcomes go through {@code BucketRecorder} in the chunk's transaction,
 * with the run's counters and read position (its checkpoint, in the run's row).</li>
 * <li>AUTO picks due items only (last attempt + the deployment's time lapse now) and stops at
 * {@code BucketItem.MAX_AUTO_TRIES} (the item's stored queue state); MANUAL ignores auto tries.</li>
 * <li>One live retry run per deployment (AUTO or MANUAL), checked under the deployment's row lock:
 * a refused start is 409 from the API, SKIPPED with the reason from a slot.</li>
 * <li>A run whose heartbeat expired (its server died) is taken over by a live server's sweep and
 * resumed from its read position, at most 3 times; stop and restart work on it too.</li>
 * </ul>
 */
package io.flowretry.retry;
