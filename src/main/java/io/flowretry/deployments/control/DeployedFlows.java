package io.flowretry.deployments.control;

import io.flowretry.connectors.control.ConnectionDetails;
import io.flowretry.connectors.control.Connectors;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.flows.control.FlowDefinition;
import io.flowretry.flows.entity.FlowVersion;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.flows.control.DeployedFlow;
import io.flowretry.flows.control.Mapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.Optional;

/**
 * Opens the flow a deployment runs NOW: the flow version it is deployed with, its connections as
 * they are stored now, read from their entities (not through the areas' facades: control never
 * calls boundary). Callers (a batch step) close the {@link DeployedFlow} when done.
 */
@ApplicationScoped
public class DeployedFlows {

    @PersistenceContext
    EntityManager em;

    @Inject
    Connectors connectors;

    /**
     * @throws io.flowretry.kernel.NotFoundException if the deployment, its flow version
     *                                                          or a connection it names is gone
     */
    public DeployedFlow open(long deploymentId) {
        var deployment = Optional.ofNullable(em.find(Deployment.class, deploymentId))
                .orElseThrow(() -> new NotFoundException("deployment", deploymentId));
        var version = em.createNamedQuery(FlowVersion.BY_FLOW_AND_NO, FlowVersion.class)
                .setParameter("flowId", deployment.getFlowId()).setParameter("versionNo", deployment.getFlowVersion())
                .getResultStream().findFirst().orElseThrow(() -> new NotFoundException("version " + deployment.getFlowVersion()
                        + " of process flow", deployment.getFlowId()));
        var definition = FlowDefinition.fromJson(version.getDefinition());
        var source = connection(definition.source().connection());
        var destination = connection(definition.destination().connection());
        return new DeployedFlow(deploymentId, source.getName(), deployment.getFlowVersion(), new Mapper(definition.mapping()),
                connectors.source(details(source), definition.source().spec()),
                connectors.destination(details(destination), definition.destination().spec()));
    }

    private Connection connection(String name) {
        return em.createNamedQuery(Connection.BY_NAME, Connection.class).setParameter("name", name == null ? null : name.trim())
                .getResultStream().findFirst().orElseThrow(() -> new NotFoundException("connection", name));
    }

    static ConnectionDetails details(Connection c) {
        return ConnectionDetails.of(c);
    }
}
