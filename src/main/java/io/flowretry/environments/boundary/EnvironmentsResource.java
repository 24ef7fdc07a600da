package io.flowretry.environments.boundary;

import io.flowretry.environments.entity.Environment;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

@Path("environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnvironmentsResource {

    public record NewEnvironment(String name, String description, String timeZone, Boolean active) {
    }

    public record EnvironmentPatch(Boolean active, String description, String timeZone) {
    }

    public record EnvironmentView(long id, String name, String description, String timeZone, boolean active, Instant createdAt) {
        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.getId(), e.getName(), e.getDescription(), e.getTimeZone().getId(), e.isActive(), e.getCreatedAt());
        }
    }

    @Inject
    Environments environments;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(NewEnvironment body, @Context UriInfo uri) {
        var b = body == null ? new NewEnvironment(null, null, null, null) : body;
        var created = environments.create(b.name(), b.description(), b.timeZone(), b.active());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.getId())).build())
                .entity(EnvironmentView.of(created)).build();
    }

    @GET
    public List<EnvironmentView> list() {
        return environments.list().stream().map(EnvironmentView::of).toList();
    }

    @GET
    @Path("{id}")
    public EnvironmentView get(@PathParam("id") long id) {
        return EnvironmentView.of(environments.get(id));
    }

    @PATCH
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public EnvironmentView patch(@PathParam("id") long id, EnvironmentPatch body) {
        var b = body == null ? new EnvironmentPatch(null, null, null) : body;
        return EnvironmentView.of(environments.update(id, b.active(), b.description(), b.timeZone()));
    }
}
