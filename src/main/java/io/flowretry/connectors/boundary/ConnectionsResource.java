package io.flowretry.connectors.boundary;

import io.flowretry.connectors.control.UrlSecrets;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/connections}: admins create and replace (PUT; the type stays), every role reads. Secrets never leave: the password, the auth's password, token and client secret,
 * every header value (any header may carry a key) and the passwords inside URLs ({@link UrlSecrets}) are shown as {@code "***"}.
 */
@Path("connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectionsResource {

    static final String MASK = Connections.MASK;

    /** HTTP only: {@code maxConcurrency} … {@code auth} ({@link HttpAuth}); left out, the defaults and no auth. */
    public record NewConnection(String name, String type, String jdbcUrl, String username, String password,
                                String baseUrl, Map<String, String> headers, Integer maxConcurrency, Double requestsPerSecond,
                                Integer connectTimeoutSeconds, Integer requestTimeoutSeconds, HttpAuth auth) {

        static final NewConnection EMPTY = new NewConnection(null, null, null, null, null, null, null, null, null, null, null, null);

        HttpLimits limits() {
            return new HttpLimits(maxConcurrency, requestsPerSecond, connectTimeoutSeconds, requestTimeoutSeconds);
        }
    }

    /** HTTP connections show {@code maxConcurrency} (8 when not set) and their auth with its secrets masked. */
    public record ConnectionView(long id, String name, String type, String jdbcUrl, String username, String password,
                                 String baseUrl, Map<String, String> headers, Integer maxConcurrency, Double requestsPerSecond,
                                 Integer connectTimeoutSeconds, Integer requestTimeoutSeconds, HttpAuth auth, Instant createdAt) {
        public static ConnectionView of(Connection c) {
            boolean http = c.getType() == ConnectionType.HTTP;
            var limits = c.getLimits();
            return new ConnectionView(c.getId(), c.getName(), c.getType().name(), UrlSecrets.masked(c.getJdbcUrl()), c.getUsername(),
                    c.hasPassword() ? MASK : null, UrlSecrets.masked(c.getBaseUrl()), masked(c.getHeaders()),
                    http ? limits.concurrency() : null, limits.requestsPerSecond(), limits.connectTimeoutSeconds(),
                    limits.requestTimeoutSeconds(), masked(c.getAuth()), c.getCreatedAt());
        }

        private static HttpAuth masked(HttpAuth auth) {
            if (auth == null) {
                return null;
            }
            var m = auth.masked(MASK);
            return new HttpAuth(m.type(), m.username(), m.password(), m.token(), UrlSecrets.masked(m.tokenUrl()),
                    m.clientId(), m.clientSecret(), m.scope());
        }

        private static Map<String, String> masked(Map<String, String> headers) {
            if (headers.isEmpty()) {
                return null;
            }
            var shown = new LinkedHashMap<String, String>();
            headers.forEach((k, v) -> shown.put(k, MASK));
            return shown;
        }
    }

    @Inject
    Connections connections;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(NewConnection body, @Context UriInfo uri) {
        var b = body == null ? NewConnection.EMPTY : body;
        var created = connections.create(b.name(), b.type(), b.jdbcUrl(), b.username(), b.password(), b.baseUrl(), b.headers(),
                b.limits(), b.auth());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.getId())).build())
                .entity(ConnectionView.of(created)).build();
    }

    /** Replaces a connection; a password or header value sent back as {@code "***"} keeps the stored secret. */
    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public ConnectionView update(@PathParam("id") long id, NewConnection body) {
        var b = body == null ? NewConnection.EMPTY : body;
        return ConnectionView.of(connections.update(id, b.name(), b.type(), b.jdbcUrl(), b.username(), b.password(),
                b.baseUrl(), b.headers(), b.limits(), b.auth()));
    }

    /** 204; 409 naming the flow or deployment that uses the connection (nothing is deleted then). */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") long id) {
        connections.delete(id);
        return Response.noContent().build();
    }

    @GET
    public List<ConnectionView> list() {
        return connections.list().stream().map(ConnectionView::of).toList();
    }

    @GET
    @Path("{id}")
    public ConnectionView get(@PathParam("id") long id) {
        return ConnectionView.of(connections.get(id));
    }
}
