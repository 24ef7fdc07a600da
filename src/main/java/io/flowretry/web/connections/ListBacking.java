package io.flowretry.web.connections;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** Manage › Connections: the apps flows read and write (their name is the bucket's Node Name). Secrets are never shown; admins delete the ones nothing uses. */
@Named("connectionList")
@RequestScoped
public class ListBacking {

    @Inject
    Connections connections;

    @Inject
    UserBacking user;

    public List<Connection> getConnections() {
        return connections.list();
    }

    /** Delete (admins, after the confirm): refused with the flow or deployment that uses the connection. */
    public void delete(long id) {
        user.requireAdmin();
        try {
            var name = connections.get(id).getName();
            connections.delete(id);
            Messages.info("Deleted the connection " + name);
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }
}
