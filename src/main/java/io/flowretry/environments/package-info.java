/**
 * Environments a flow is deployed to, and the agents (servers) that serve them. Flows execute and
 * retries run only while their environment is active and has a CONNECTED attached agent
 * ({@code Environments#health}); its IANA time zone places the "retry daily at" time. Names are unique.
 * An agent registers and heartbeats ({@code AgentRegistry}); {@code Agent} owns its state rules.
 * Every change fires {@code control.EnvironmentChanged} (the schedulers observe it).
 * Readiness's "agents" check is produced here ({@code AgentHealthChecks}), so platform needs no environments.
 */
package io.flowretry.environments;
