package io.flowretry.alerts.boundary;

import io.flowretry.alerts.entity.AlertChannel;
import io.flowretry.alerts.entity.AlertDelivery;
import io.flowretry.alerts.entity.AlertEvent;
import io.flowretry.kernel.Roles;
import io.flowretry.kernel.Validation;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/** {@code /api/alert-channels}: admins manage the channels; every role reads them and their deliveries. */
@Path("alert-channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertChannelsResource {

    static final String MASK = "***";

    public record NewChannel(String name, String type, String url, String to, String secret, List<String> events,
                             Integer bucketDepthThreshold) {
    }

    public record ChannelView(long id, String name, String type, String url, String to, String secret, List<String> events,
                              Integer bucketDepthThreshold, Instant createdAt) {
        public static ChannelView of(AlertChannel c) {
            return new ChannelView(c.getId(), c.getName(), c.getType().name(), c.getUrl(), c.getEmailTo(),
                    c.hasSecret() ? MASK : null, c.getEvents().stream().map(AlertEvent::name).toList(),
                    c.getBucketDepthThreshold(), c.getCreatedAt());
        }
    }

    public record DeliveryView(long id, long channelId, String event, long deploymentId, String message, String status,
                               int attempts, @JsonbNillable Integer httpStatus, @JsonbNillable String lastError,
                               Instant createdAt, @JsonbNillable Instant nextTryAt, @JsonbNillable Instant sentAt) {
        public static DeliveryView of(AlertDelivery d) {
            return new DeliveryView(d.getId(), d.getChannelId(), d.getEvent().name(), d.getDeploymentId(), d.getMessage(),
                    d.getStatus().name(), d.getAttempts(), d.getHttpStatus(), d.getLastError(), d.getCreatedAt(),
                    d.getNextTryAt(), d.getSentAt());
        }
    }

    @Inject
    AlertChannels channels;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(NewChannel body, @Context UriInfo uri) {
        var b = body == null ? new NewChannel(null, null, null, null, null, null, null) : body;
        var created = channels.create(b.name(), b.type(), b.url(), b.to(), b.secret(), b.events(), b.bucketDepthThreshold());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.getId())).build())
                .entity(ChannelView.of(created)).build();
    }

    @GET
    public List<ChannelView> list() {
        return channels.list().stream().map(ChannelView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") long id) {
        channels.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    @RolesAllowed(Roles.ADMIN)
    public DeliveryView test(@PathParam("id") long id) {
        return DeliveryView.of(channels.test(id));
    }

    @GET
    @Path("{id}/deliveries")
    public List<DeliveryView> deliveries(@PathParam("id") long id, @QueryParam("limit") Integer limit) {
        new Validation().range(limit, 1, 500, "limit").throwIfInvalid();
        return channels.deliveries(id, limit == null ? 50 : limit).stream().map(DeliveryView::of).toList();
    }
}
