package io.flowretry.deployments.boundary;

import io.flowretry.deployments.boundary.DeploymentsResource.RetryView;
import io.flowretry.deployments.boundary.DeploymentsResource.SyncView;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/environments/{envId}/process-flows}: the flows deployed to an environment now
 * (Manage › Environment › Process Flows) with their retry settings and bucket counts.
 */
@Path("environments/{envId}/process-flows")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentProcessFlowsResource {

    public record DeployedFlowView(long deploymentId, long flowId, String name, String description, int flowVersion,
                                   Instant deployedAt, SyncView sync, RetryView retry, BucketCounts bucket) {
    }

    @Inject
    Environments environments;

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @GET
    public List<DeployedFlowView> list(@PathParam("envId") long envId) {
        environments.get(envId);
        var counts = deployments.bucketCounts(envId);
        return deployments.listByEnvironment(envId).stream().map(d -> {
            var flow = flows.get(d.getFlowId());
            return new DeployedFlowView(d.getId(), d.getFlowId(), flow.getName(), flow.getDescription(), d.getFlowVersion(),
                    d.getDeployedAt(), SyncView.of(d.getSync()), RetryView.of(d.getRetry(), d.getNextRunAt()),
                    counts.getOrDefault(d.getId(), BucketCounts.EMPTY));
        }).toList();
    }
}
