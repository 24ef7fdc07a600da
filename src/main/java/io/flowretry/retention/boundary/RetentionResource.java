package io.flowretry.retention.boundary;

import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.Roles;
import io.flowretry.retention.control.Retention;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/retention}: one retention pass now (admin), besides the timer's; answers what it deleted. */
@Path("retention")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RetentionResource {

    @Inject
    Retention retention;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Retention.Pass run() {
        return retention.run().orElseThrow(() -> new ConflictException("retention is running on this server already"));
    }
}
