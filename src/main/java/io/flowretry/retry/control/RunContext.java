package io.flowretry.retry.control;

import io.flowretry.flows.control.DeployedFlow;

import java.time.Instant;

/**
 * What the resync step's reader and writer share (the step's transient user data); the time lapse
 * is the deployment's when the job started (or was restarted), a job parameter; {@code apps} the
 * flow's connection names, source first (one name when source and destination are one app).
 */
public record RunContext(long runId, long deploymentId, String trigger, Selection selection, Instant runAt,
                         int timeLapseMinutes, DeployedFlow flow, java.util.List<String> apps, boolean worker, long agentId) {
}
