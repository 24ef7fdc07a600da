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
 * <li>AUTO picks due items only and stops at {@code DueRule.MAX_AUTO_TRIES}; MANUAL ignores auto tries.</li>
 * </ul>
 */
package io.flowretry.retry;
