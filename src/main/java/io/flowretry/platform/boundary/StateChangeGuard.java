package io.flowretry.platform.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * A browser that once sent Basic credentials to {@code /api} replays them for any site, and an HTML
 * form or a {@code text/plain} fetch needs no CORS preflight. So every state-changing call
 * (POST, PUT, PATCH, DELETE):
 * <ul>
 * <li>is refused with 403 when {@code Sec-Fetch-Site} says {@code cross-site} or {@code same-site}, or
 * {@code Origin} names another origin than the one the request was sent to;</li>
 * <li>needs {@code Content-Type: application/json}, with a body or without (415): a browser cannot send
 * that cross-site without a preflight, which this API never grants;</li>
 * <li>is refused with 413 when {@code Content-Length} announces more than {@link StrictJson#maxBodyBytes()}
 * (a body without a length is counted while it is read).</li>
 * </ul>
 */
@Provider
@PreMatching
public class StateChangeGuard implements ContainerRequestFilter {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> SAME_SITE_FETCH = Set.of("same-origin", "none");

    private final int maxBytes = StrictJson.maxBodyBytes();

    @Override
    public void filter(ContainerRequestContext request) {
        if (!STATE_CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return;
        }
        var fetchSite = request.getHeaderString("Sec-Fetch-Site");
        if (fetchSite != null && !SAME_SITE_FETCH.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
            request.abortWith(Problem.of(Response.Status.FORBIDDEN, "Cross-site requests may not change anything (Sec-Fetch-Site: "
                    + fetchSite.trim() + ")").toResponse());
            return;
        }
        var origin = request.getHeaderString("Origin");
        if (origin != null && !sameOrigin(origin.trim(), request.getUriInfo().getRequestUri())) {
            request.abortWith(Problem.of(Response.Status.FORBIDDEN, "Cross-site requests may not change anything (Origin)").toResponse());
            return;
        }
        var length = request.getLength();
        if (length > maxBytes) {
            StrictJson.discard(request.getEntityStream());
            request.abortWith(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, new BodyTooLargeException(maxBytes).getMessage()).toResponse());
            return;
        }
        var type = request.getMediaType();
        if (type == null || !(type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json"))) {
            request.abortWith(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Send Content-Type: " + MediaType.APPLICATION_JSON
                    + " with every " + request.getMethod() + ", also without a body").toResponse());
        }
    }

    /** {@code Origin} is scheme://host[:port] of the page that sent the request; "null" (sandboxes, data: pages) is never ours. */
    static boolean sameOrigin(String origin, URI requested) {
        try {
            var from = URI.create(origin);
            return from.getScheme() != null && from.getHost() != null
                    && from.getScheme().equalsIgnoreCase(requested.getScheme())
                    && from.getHost().equalsIgnoreCase(requested.getHost())
                    && port(from) == port(requested);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
