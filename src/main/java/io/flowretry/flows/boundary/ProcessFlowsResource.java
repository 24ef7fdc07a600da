package io.flowretry.flows.boundary;

import io.flowretry.flows.control.FlowDefinition;
import io.flowretry.flows.control.MappingRule;
import io.flowretry.flows.entity.FlowVersion;
import io.flowretry.flows.entity.ProcessFlow;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/**
 * {@code /api/process-flows}: admins create (version 1) and replace (PUT: version + 1); every role
 * reads the current version, and each older one under {@code /{id}/versions/{no}}.
 */
@Path("process-flows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProcessFlowsResource {

    public record FlowBody(String name, String description, FlowDefinition.Source source, List<MappingRule> mapping,
                           FlowDefinition.Destination destination) {
        FlowDefinition definition() {
            return new FlowDefinition(source, mapping, destination);
        }
    }

    public record FlowView(long id, String name, String description, int version, Instant createdAt, Instant updatedAt,
                           FlowDefinition.Source source, List<MappingRule> mapping, FlowDefinition.Destination destination) {
        static FlowView of(ProcessFlow f, FlowDefinition d) {
            return new FlowView(f.getId(), f.getName(), f.getDescription(), f.getCurrentVersion(), f.getCreatedAt(),
                    f.getUpdatedAt(), d.source(), d.mapping(), d.destination());
        }
    }

    public record VersionView(long flowId, int version, Instant createdAt, FlowDefinition.Source source,
                              List<MappingRule> mapping, FlowDefinition.Destination destination) {
        static VersionView of(FlowVersion v) {
            var d = FlowDefinition.fromJson(v.getDefinition());
            return new VersionView(v.getFlowId(), v.getVersionNo(), v.getCreatedAt(), d.source(), d.mapping(), d.destination());
        }
    }

    @Inject
    ProcessFlows flows;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(FlowBody body, @Context UriInfo uri) {
        var b = orEmpty(body);
        var created = flows.create(b.name(), b.description(), b.definition());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.getId())).build())
                .entity(view(created)).build();
    }

    /** 204; 409 naming the deployment that uses the flow (nothing is deleted then). */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") long id) {
        flows.delete(id);
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public FlowView update(@PathParam("id") long id, FlowBody body) {
        var b = orEmpty(body);
        return view(flows.update(id, b.name(), b.description(), b.definition()));
    }

    @GET
    public List<FlowView> list() {
        return flows.list().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public FlowView get(@PathParam("id") long id) {
        return view(flows.get(id));
    }

    @GET
    @Path("{id}/versions")
    public List<VersionView> versions(@PathParam("id") long id) {
        flows.get(id);
        return flows.versions(id).stream().map(VersionView::of).toList();
    }

    @GET
    @Path("{id}/versions/{no}")
    public VersionView version(@PathParam("id") long id, @PathParam("no") int versionNo) {
        return VersionView.of(flows.getVersion(id, versionNo));
    }

    private FlowView view(ProcessFlow f) {
        return FlowView.of(f, flows.definition(f.getId(), f.getCurrentVersion()));
    }

    private static FlowBody orEmpty(FlowBody body) {
        return body == null ? new FlowBody(null, null, null, null, null) : body;
    }
}
