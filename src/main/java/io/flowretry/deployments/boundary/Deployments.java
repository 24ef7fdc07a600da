package io.flowretry.deployments.boundary;

import io.flowretry.connectors.control.ConnectionDeleting;
import io.flowretry.deployments.control.DeploymentChanged;
import io.flowretry.deployments.control.SettingsCheck;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.flows.control.FlowDeleting;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.FieldError;
import io.flowretry.platform.control.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deploys flows to environments. The first deployment of a flow to an environment creates the
 * deployment (retry and sync MANUAL unless given); deploying it again is a redeploy of the same
 * row: the flow's current version, deployed now, settings kept unless given, bucket untouched.
 * Undeploy keeps the row and its bucket. Each change fires {@link DeploymentChanged}.
 */
@ApplicationScoped
@Transactional
public class Deployments {

    /** A deploy's outcome: {@code created} is false for a redeploy. */
    public record DeployResult(Deployment deployment, boolean created) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Environments environments;

    @Inject
    ProcessFlows flows;

    @Inject
    Event<DeploymentChanged> changed;

    /**
     * @param environmentId an existing environment (else 404)
     * @param flowId        an existing flow (else 400 naming {@code flowId})
     * @param sync          null = MANUAL at first deploy, unchanged at a redeploy
     * @param retry         null = defaults (MANUAL) at first deploy, unchanged at a redeploy
     */
    public DeployResult deploy(long environmentId, Long flowId, SyncSettings sync, RetrySettings retry, String user) {
        environments.get(environmentId);
        var errors = new ArrayList<FieldError>();
        if (flowId == null) {
            errors.add(new FieldError("flowId", "is required"));
        } else if (flows.find(flowId).isEmpty()) {
            errors.add(new FieldError("flowId", "no process flow with id " + flowId));
        }
        errors.addAll(SettingsCheck.problems(sync, retry));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        var flow = flows.get(flowId);
        var now = clock.instant();
        var existing = find(environmentId, flowId);
        Deployment deployment;
        if (existing.isPresent()) {
            deployment = existing.get();
            deployment.redeploy(flow.getCurrentVersion(), sync, retry, user, now);
        } else {
            deployment = new Deployment(environmentId, flowId, flow.getCurrentVersion(),
                    sync == null ? SyncSettings.manual() : sync,
                    retry == null ? RetrySettings.defaults() : retry, user, now);
            em.persist(deployment);
        }
        UniqueViolation.flushOrConflict(em, "flowId", "this flow is being deployed to this environment by someone else; try again");
        changed.fire(new DeploymentChanged(deployment.getId()));
        return new DeployResult(deployment, existing.isEmpty());
    }

    /** Undeploys (idempotent): no more runs or retries; the row and its bucket stay readable. */
    public Deployment undeploy(long id) {
        var deployment = get(id);
        deployment.undeploy(clock.instant());
        em.flush();
        changed.fire(new DeploymentChanged(id));
        return deployment;
    }

    public Optional<Deployment> find(long id) {
        return Optional.ofNullable(em.find(Deployment.class, id));
    }

    public Deployment get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("deployment", id));
    }

    /** A deployment that may run now (an execution or a retry run): deployed, in an active environment; else 409. */
    public Deployment getRunnable(long id) {
        var deployment = get(id);
        if (!deployment.isDeployed()) {
            throw new ConflictException("deployment " + id + " is undeployed");
        }
        var health = environments.health(deployment.getEnvironmentId());
        if (!health.runnable()) {
            throw new ConflictException(health.reason()); // inactive, or no connected agent in it
        }
        return deployment;
    }

    public Optional<Deployment> find(long environmentId, long flowId) {
        return em.createNamedQuery(Deployment.BY_ENVIRONMENT_AND_FLOW, Deployment.class)
                .setParameter("environmentId", environmentId).setParameter("flowId", flowId)
                .getResultStream().findFirst();
    }

    /** The deployments of an environment that are deployed now (not undeployed), oldest first. */
    public List<Deployment> listByEnvironment(long environmentId) {
        return em.createNamedQuery(Deployment.DEPLOYED_IN, Deployment.class)
                .setParameter("environmentId", environmentId).getResultList();
    }

    /** Every deployment of an environment, undeployed ones included. */
    public List<Deployment> listAllByEnvironment(long environmentId) {
        return em.createNamedQuery(Deployment.ALL_IN, Deployment.class)
                .setParameter("environmentId", environmentId).getResultList();
    }

    /** Every deployment, undeployed ones included, oldest first. */
    /** A flow with a deployment (deployed now or undeployed with its bucket kept) is in use. */
    void flowDeleting(@Observes FlowDeleting event) {
        list().stream().filter(d -> d.getFlowId() == event.flowId()).findFirst().ifPresent(d -> {
            throw new ConflictException("id", "the process flow " + event.name() + " is used by deployment " + d.getId()
                    + " in environment " + environments.get(d.getEnvironmentId()).getName()
                    + (d.isDeployed() ? "" : " (undeployed, its resync bucket kept)"));
        });
    }

    /** A connection named by the flow version a deployment runs is in use. */
    void connectionDeleting(@Observes ConnectionDeleting event) {
        for (var d : list()) {
            var definition = flows.definition(d.getFlowId(), d.getFlowVersion());
            if (event.name().equals(definition.source().connection()) || event.name().equals(definition.destination().connection())) {
                throw new ConflictException("id", "the connection " + event.name() + " is used by deployment " + d.getId()
                        + " (" + flows.get(d.getFlowId()).getName() + " version " + d.getFlowVersion() + ") in environment "
                        + environments.get(d.getEnvironmentId()).getName());
            }
        }
    }

    public List<Deployment> list() {
        return em.createNamedQuery(Deployment.ALL, Deployment.class).getResultList();
    }

    /** Every deployment that is deployed now, in every environment (the scheduler rebuilds its timers from it). */
    public List<Deployment> listDeployed() {
        return em.createNamedQuery(Deployment.ALL_DEPLOYED, Deployment.class).getResultList();
    }

    /** Bucket item counts per deployment, for the deployed flows of an environment (one grouped query). */
    public Map<Long, BucketCounts> bucketCounts(long environmentId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select b.deployment_id, b.status, count(*) from bucket_items b
                        join deployments d on d.id = b.deployment_id
                        where d.environment_id = ?1 and d.undeployed_at is null
                        group by b.deployment_id, b.status""")
                .setParameter(1, environmentId).getResultList();
        var counts = new HashMap<Long, BucketCounts>();
        for (Object[] row : rows) {
            long deploymentId = ((Number) row[0]).longValue();
            long n = ((Number) row[2]).longValue();
            var current = counts.getOrDefault(deploymentId, BucketCounts.EMPTY);
            counts.put(deploymentId, "SUCCESS".equals(row[1])
                    ? new BucketCounts(current.failed(), n)
                    : new BucketCounts(n, current.succeeded()));
        }
        return counts;
    }
}
