/**
 * Deployments: one row per (environment, flow), created by the first deploy and reused by every
 * redeploy (same id, latest flow version, settings kept unless given, bucket untouched). Undeploy
 * only stamps {@code undeployedAt}. Every change fires {@code DeploymentChanged}; the retry
 * scheduler owns {@code nextRunAt}. {@code DeployedFlows} opens the flow a deployment runs now
 * (its flow version, its connections as stored now) for the runs, from the entities (control never
 * calls a facade). {@code DeploymentChanged} lives in control, where its observers are.
 */
package io.flowretry.deployments;
