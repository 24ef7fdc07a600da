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
 * <li>A manual RESYNC starts through {@code RetryRuns} for the API and the console alike (by ids,
 * each of which must be in the deployment's bucket, else 400 naming {@code itemIds}, or by source id
 * prefix and status); {@code Selection} stays the engine's own.</li>
 * <li>One live retry run per deployment (AUTO or MANUAL), checked under the deployment's row lock:
 * a refused start is 409 from the API, SKIPPED with the reason from a slot.</li>
 * <li>A run whose heartbeat expired (its server died) is taken over by a live server's sweep and
 * resumed from its read position, at most 3 times; stop and restart work on it too.</li>
 * <li>An app DOWN (its connection's breaker) is never called: the failures it caused are
 * SKIPPED_OUTAGE (no try), the run PAUSED keeping its read position, and the sweeps resume it once
 * the app is UP; slots of its flows are SKIPPED naming it.</li>
 * <li>Entry points live in {@code boundary}: the REST resources, the timers ({@code RetryScheduler})
 * and the job's artifacts that call the snapshot facade ({@code ResyncJobListener},
 * {@code ResyncReader}); {@code control} never calls boundary.</li>
 * </ul>
 */
package io.flowretry.retry;
