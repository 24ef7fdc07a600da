package io.flowretry.connectors.boundary;

import io.flowretry.connectors.entity.AppHealth;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/**
 * {@code GET /api/connections/{id}/status}: the app's circuit breaker, UP or DOWN since when, the
 * last error a run or probe saw and when (null for an app never seen failing). Every role reads.
 */
@Path("connections/{id}/status")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionStatusResource {

    public record StatusView(String state, @JsonbNillable Instant since, @JsonbNillable String lastError,
                             @JsonbNillable Instant checkedAt) {
        static StatusView of(AppHealth h) {
            return new StatusView(h.getState().name(), h.getSince(), h.getLastError(), h.getCheckedAt());
        }
    }

    @Inject
    ConnectionHealth health;

    @GET
    public StatusView status(@PathParam("id") long id) {
        return StatusView.of(health.status(id));
    }
}
