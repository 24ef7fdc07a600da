/**
 * Executions: the main run of a deployed flow, a Jakarta Batch chunk job ({@code execute-flow})
 * over every source record in id order. Records that pass are written; every outcome goes through
 * {@code BucketRecorder} (trigger MAIN) in the chunk's transaction. Runs start only for a deployed
 * flow in an active environment, one per deployment at a time (a heartbeat per chunk tells a live
 * one from one whose server died: the sweeps end it FAILED); {@code sync AUTO} runs them on
 * non-persistent timers rebuilt from the database, armed on the injected clock. Batch artifacts are {@code @Named} CDI beans in {@code control}.
 */
package io.flowretry.executions;
