package io.flowretry.flows.control;

/**
 * Fired (synchronously, in the deleting transaction) before a process flow is deleted. Deployments
 * observe it and throw a {@link io.flowretry.kernel.ConflictException} naming the deployment that
 * still uses it (an undeployed one too: its bucket stays readable and shows the flow).
 */
public record FlowDeleting(long flowId, String name) {
}
