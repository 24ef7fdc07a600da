package io.flowretry.deployments.boundary;

import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.HourMinuteConverter;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.kernel.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/**
 * {@code /api/deployments/{id}}: every role reads a deployment; admins undeploy it (DELETE keeps the
 * row and its bucket readable and answers the undeployed deployment). Deploying is
 * {@code POST /api/environments/{envId}/deployments} ({@link EnvironmentDeploymentsResource}).
 * {@code retry.nextRunAt} and {@code undeployedAt} are always present, null when there is none.
 */
@Path("deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {

    public record SyncView(String mode, Integer everyMinutes) {
        static SyncView of(SyncSettings s) {
            return new SyncView(s.getMode().name(), s.getEveryMinutes());
        }
    }

    public record RetryView(String mode, String frequency, String dailyAt, int intervalHours, int timeLapseMinutes,
                            int batchSize, @JsonbNillable Instant nextRunAt) {
        static RetryView of(RetrySettings r, Instant nextRunAt) {
            return new RetryView(r.getMode().name(), r.getFrequency().name(),
                    r.getDailyAt() == null ? null : r.getDailyAt().format(HourMinuteConverter.HH_MM),
                    r.getIntervalHours(), r.getTimeLapseMinutes(), r.getBatchSize(), nextRunAt);
        }
    }

    public record DeploymentView(long deploymentId, long flowId, int flowVersion, long environmentId, Instant deployedAt,
                                 boolean deployed, @JsonbNillable Instant undeployedAt, Instant firstDeployedAt, String deployedBy,
                                 SyncView sync, RetryView retry) {
        static DeploymentView of(Deployment d) {
            return new DeploymentView(d.getId(), d.getFlowId(), d.getFlowVersion(), d.getEnvironmentId(), d.getDeployedAt(),
                    d.isDeployed(), d.getUndeployedAt(), d.getFirstDeployedAt(), d.getDeployedBy(),
                    SyncView.of(d.getSync()), RetryView.of(d.getRetry(), d.getNextRunAt()));
        }
    }

    @Inject
    Deployments deployments;

    @GET
    @Path("{id}")
    public DeploymentView get(@PathParam("id") long id) {
        return DeploymentView.of(deployments.get(id));
    }

    /** Every deployment, undeployed ones included (an addition to the contract). */
    @GET
    public List<DeploymentView> list() {
        return deployments.list().stream().map(DeploymentView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public DeploymentView undeploy(@PathParam("id") long id) {
        return DeploymentView.of(deployments.undeploy(id));
    }
}
