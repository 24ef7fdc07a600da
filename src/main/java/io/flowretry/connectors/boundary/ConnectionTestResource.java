package io.flowretry.connectors.boundary;

import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/connections/{id}/test}: one cheap call to the app now (JDBC {@code isValid},
 * HTTP GET on the base URL): 200 {@code {"ok", "latencyMs", "error"?}} whatever the app said; a
 * DOWN app that answers is UP again. Admins and operators.
 */
@Path("connections/{id}/test")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionTestResource {

    @Inject
    ConnectionHealth health;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ConnectionHealth.Tested test(@PathParam("id") long id) {
        return health.test(id);
    }
}
