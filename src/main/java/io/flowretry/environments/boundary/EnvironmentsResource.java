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

    /** How many agents attached to the environment are CONNECTED or DISCONNECTED, and how many are DETACHED from it. */
    public record AgentCounts(int connected, int disconnected, int detached) {
    }

    /** {@code runnable}: active and served by a CONNECTED agent; else {@code reason} says why its flows do not run. */
    public record EnvironmentView(long id, String name, String description, String timeZone, boolean active, Instant createdAt,
                                  AgentCounts agents, boolean runnable, String reason) {
        static EnvironmentView of(Environment e, Environments.AgentHealth h) {
            return new EnvironmentView(e.getId(), e.getName(), e.getDescription(), e.getTimeZone().getId(), e.isActive(), e.getCreatedAt(),
                    new AgentCounts(h.connected(), h.disconnected(), h.detached()), h.runnable(), h.reason());
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
                .entity(view(created)).build();
    }

    @GET
    public List<EnvironmentView> list() {
        var health = environments.health();
        return environments.list().stream().map(e -> EnvironmentView.of(e, health.get(e.getId()))).toList();
    }

    @GET
    @Path("{id}")
    public EnvironmentView get(@PathParam("id") long id) {
        return view(environments.get(id));
    }

    @PATCH
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public EnvironmentView patch(@PathParam("id") long id, EnvironmentPatch body) {
        var b = body == null ? new EnvironmentPatch(null, null, null) : body;
        return view(environments.update(id, b.active(), b.description(), b.timeZone()));
    }

    private EnvironmentView view(Environment e) {
        return EnvironmentView.of(e, environments.health(e.getId()));
    }
}
