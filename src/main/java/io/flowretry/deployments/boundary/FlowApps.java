package io.flowretry.deployments.boundary;

import io.flowretry.flows.boundary.ProcessFlows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.stream.Stream;

/** The apps (connection names) a deployment's flow version talks to: its source, then its destination. */
@ApplicationScoped
public class FlowApps {

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    public List<String> names(long deploymentId) {
        var deployment = deployments.get(deploymentId);
        var definition = flows.definition(deployment.getFlowId(), deployment.getFlowVersion());
        return Stream.of(definition.source().connection(), definition.destination().connection()).distinct().toList();
    }
}
