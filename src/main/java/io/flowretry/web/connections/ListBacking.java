package io.flowretry.web.connections;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.entity.Connection;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** Manage › Connections: the apps flows read and write (their name is the bucket's Node Name). Secrets are never shown. */
@Named("connectionList")
@RequestScoped
public class ListBacking {

    @Inject
    Connections connections;

    public List<Connection> getConnections() {
        return connections.list();
    }
}
