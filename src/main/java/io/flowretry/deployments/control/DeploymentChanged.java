package io.flowretry.deployments.control;

/**
 * Fired (CDI event, inside the transaction) after a deployment was deployed, redeployed or
 * undeployed. Observers that act on the stored state use {@code @Observes(during = AFTER_SUCCESS)}.
 */
public record DeploymentChanged(long deploymentId) {
}
