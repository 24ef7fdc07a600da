package io.flowretry.deployments.control;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.control.ConnectionDetails;
import io.flowretry.connectors.control.Connectors;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.flows.control.DeployedFlow;
import io.flowretry.flows.control.Mapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Opens the flow a deployment runs NOW: the flow version it is deployed with, its connections as
 * they are stored now. Callers (a batch step) close the {@link DeployedFlow} when done.
 */
@ApplicationScoped
public class DeployedFlows {

    @Inject
    Deployments deployments;

    @Inject
    ProcessFlows flows;

    @Inject
    Connections connections;

    @Inject
    Connectors connectors;

    /**
     * @throws io.flowretry.platform.boundary.NotFoundException if the deployment, its flow version
     *                                                          or a connection it names is gone
     */
    public DeployedFlow open(long deploymentId) {
        var deployment = deployments.get(deploymentId);
        var definition = flows.definition(deployment.getFlowId(), deployment.getFlowVersion());
        var source = connections.getByName(definition.source().connection());
        var destination = connections.getByName(definition.destination().connection());
        return new DeployedFlow(source.getName(), deployment.getFlowVersion(), new Mapper(definition.mapping()),
                connectors.source(details(source), definition.source().spec()),
                connectors.destination(details(destination), definition.destination().spec()));
    }

    static ConnectionDetails details(Connection c) {
        return c.getType() == ConnectionType.JDBC
                ? ConnectionDetails.jdbc(c.getName(), c.getJdbcUrl(), c.getUsername(), c.getPassword())
                : ConnectionDetails.http(c.getName(), c.getBaseUrl(), c.getHeaders());
    }
}
