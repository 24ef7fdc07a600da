/**
 * Executions: the main run of a deployed flow, a Jakarta Batch chunk job ({@code execute-flow})
 * over every source record in id order. Records that pass are written; every outcome goes through
 * {@code BucketRecorder} (trigger MAIN) in the chunk's transaction, and its counts through
 * {@code ExecutionRecords#count} (the one class of the {@code executions} table's statements): plain
 * JDBC on the chunk's connection, called directly, as a retry chunk's. Runs start only for a deployed
 * flow in an active environment, one per deployment at a time (a heartbeat per chunk tells a live
 * one from one whose server died: a sweep takes it over and resumes it after its read position);
 * {@code sync AUTO} runs them on non-persistent timers ({@code boundary.ExecutionTimers}, an entry
 * point) rebuilt from the database, armed on the injected clock. Batch artifacts are {@code @Named}
 * CDI beans in {@code control}, which never calls boundary; the API and the console read executions
 * through the {@code Executions} facade.
 */
package io.flowretry.executions;
