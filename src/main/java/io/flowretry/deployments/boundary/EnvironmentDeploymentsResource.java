package io.flowretry.deployments.boundary;

import io.flowretry.deployments.boundary.DeploymentsResource.DeploymentView;
import io.flowretry.deployments.entity.Frequency;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.FieldError;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/environments/{envId}/deployments} (admins): the deploy wizard. 201 for the first
 * deployment of a flow to the environment, 200 for a redeploy (same {@code deploymentId}). Enum
 * values and {@code dailyAt} arrive as text so that a bad one is reported with its field name.
 */
@Path("environments/{envId}/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnvironmentDeploymentsResource {

    private static final String HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";

    public record SyncBody(String mode, Integer everyMinutes) {
    }

    public record RetryBody(String mode, String frequency, String dailyAt, Integer intervalHours,
                            Integer timeLapseMinutes, Integer batchSize) {
    }

    /** {@code flowId} may be a JSON number or a string holding one (ids are opaque to clients). */
    public record DeployBody(Object flowId, SyncBody sync, RetryBody retry) {
    }

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response deploy(@PathParam("envId") long envId, DeployBody body, @Context UriInfo uri,
                           @Context SecurityContext security) {
        environments.get(envId);
        var b = body == null ? new DeployBody(null, null, null) : body;
        var errors = new ArrayList<FieldError>();
        var flowId = flowId(b.flowId(), errors);
        var sync = sync(b.sync(), errors);
        var retry = retry(b.retry(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        var result = deployments.deploy(envId, flowId, sync, retry, security.getUserPrincipal().getName());
        // read again: the retry scheduler set nextRunAt when the deploy committed
        var view = DeploymentView.of(deployments.get(result.deployment().getId()));
        if (!result.created()) {
            return Response.ok(view).build();
        }
        var location = uri.getBaseUriBuilder().path("deployments").path(String.valueOf(view.deploymentId())).build();
        return Response.created(location).entity(view).build();
    }

    /** Every deployment of the environment, undeployed ones included (an addition to the contract). */
    @GET
    public List<DeploymentView> list(@PathParam("envId") long envId) {
        environments.get(envId);
        return deployments.listAllByEnvironment(envId).stream().map(DeploymentView::of).toList();
    }

    private static Long flowId(Object value, List<FieldError> errors) {
        if (value == null) {
            return null; // the facade reports it as required
        }
        try {
            return value instanceof BigDecimal n ? n.longValueExact() : Long.parseLong(String.valueOf(value).trim());
        } catch (ArithmeticException | NumberFormatException e) {
            errors.add(new FieldError("flowId", "must be the id of a process flow"));
            return null;
        }
    }

    private static SyncSettings sync(SyncBody body, List<FieldError> errors) {
        if (body == null) {
            return null;
        }
        var mode = enumValue(SyncMode.class, body.mode(), "sync.mode", errors);
        if (mode == null) {
            if (body.mode() == null) {
                errors.add(new FieldError("sync.mode", "is required"));
            }
            return null;
        }
        return new SyncSettings(mode, body.everyMinutes());
    }

    private static RetrySettings retry(RetryBody body, List<FieldError> errors) {
        if (body == null) {
            return null;
        }
        int before = errors.size();
        if (body.mode() == null) {
            // a retry object without its mode used to turn auto retry off silently
            errors.add(new FieldError("retry.mode", "is required"));
        }
        var mode = enumValue(RetryMode.class, body.mode(), "retry.mode", errors);
        var frequency = enumValue(Frequency.class, body.frequency(), "retry.frequency", errors);
        LocalTime dailyAt = null;
        if (body.dailyAt() != null) {
            if (body.dailyAt().trim().matches(HH_MM)) {
                dailyAt = LocalTime.parse(body.dailyAt().trim());
            } else {
                errors.add(new FieldError("retry.dailyAt", "must be a time HH:mm such as 02:30"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new RetrySettings(mode, frequency, dailyAt, body.intervalHours(), body.timeLapseMinutes(), body.batchSize());
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be one of " + Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }
}
