package io.flowretry.executions.control;

import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.platform.boundary.ConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code executions} rows. {@link #create} commits on its own (the job must find the row);
 * {@link #count} joins the chunk's transaction so the counts (and the heartbeat) move with the
 * bucket. One execution of a deployment runs at a time.
 */
@ApplicationScoped
public class ExecutionRecords {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Stores a new STARTED execution, unless one of the deployment is running (a heartbeat younger
     * than {@code lease}). The deployment's row is locked for the check, so two requests at the
     * same instant cannot both pass it.
     *
     * @throws ConflictException (409) naming the running execution
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Execution create(long deploymentId, String trigger, String startedBy, int flowVersion, Duration lease) {
        em.createNativeQuery("select id from deployments where id = ?1 for update").setParameter(1, deploymentId).getResultList();
        running(deploymentId, lease).ifPresent(running -> {
            throw new ConflictException("deploymentId", "execution " + running + " of deployment " + deploymentId
                    + " is still running; one execution of a deployment runs at a time");
        });
        var execution = new Execution(deploymentId, trigger, startedBy, flowVersion, clock.instant());
        em.persist(execution);
        return execution;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void jobStarted(long executionId, long jobExecutionId) {
        em.createQuery("update Execution e set e.jobExecutionId = :job where e.id = :id")
                .setParameter("job", jobExecutionId).setParameter("id", executionId).executeUpdate();
    }

    /** Adds a chunk's counts and renews the heartbeat, in the chunk's transaction. */
    @Transactional
    public void count(long executionId, int read, int succeeded, int failed) {
        em.createQuery("update Execution e set e.readCount = e.readCount + :read, e.succeeded = e.succeeded + :ok,"
                        + " e.failed = e.failed + :failed, e.heartbeatAt = :now where e.id = :id")
                .setParameter("read", read).setParameter("ok", succeeded).setParameter("failed", failed)
                .setParameter("now", clock.instant()).setParameter("id", executionId).executeUpdate();
    }

    /**
     * Renews the heartbeat of the STARTED executions among {@code ids} (their jobs run on this
     * server). Native SQL: a JPQL bulk update moves {@code lock_version}, and the job's own end
     * ({@link #finish}, a versioned entity update) then failed with an optimistic lock exception.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int renew(java.util.Collection<Long> ids) {
        int renewed = 0;
        for (long id : ids) {
            renewed += em.createNativeQuery("update executions set heartbeat_at = ?1 where id = ?2 and status = 'STARTED'")
                    .setParameter(1, io.flowretry.platform.control.InLists.utc(clock.instant())).setParameter(2, id).executeUpdate();
        }
        return renewed;
    }

    /**
     * Ends the STARTED executions whose heartbeat is older than {@code staleBefore} as FAILED: their
     * server stopped during the run (the sweep renewed this server's own first). Returns how many.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int abandonStale(Instant staleBefore) {
        return em.createQuery("update Execution e set e.status = :failed, e.error = :error, e.finishedAt = :now"
                        + " where e.status = :started and e.heartbeatAt < :stale")
                .setParameter("failed", ExecutionStatus.FAILED).setParameter("started", ExecutionStatus.STARTED)
                .setParameter("error", "abandoned: no heartbeat since " + staleBefore + " (server stopped during the run)")
                .setParameter("now", clock.instant()).setParameter("stale", staleBefore).executeUpdate();
    }

    /** Ends a STARTED execution (a finished one stays as it is). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long executionId, ExecutionStatus status, String error) {
        var execution = em.find(Execution.class, executionId);
        if (execution != null) {
            execution.finish(status, error, clock.instant());
        }
    }

    @Transactional
    public Optional<Execution> find(long id) {
        return Optional.ofNullable(em.find(Execution.class, id));
    }

    /** The deployment's running execution: STARTED, with a heartbeat younger than {@code lease}. */
    @Transactional
    public Optional<Long> running(long deploymentId, Duration lease) {
        return em.createQuery("select e.id from Execution e where e.deploymentId = :d and e.status = :s and e.heartbeatAt > :since", Long.class)
                .setParameter("d", deploymentId).setParameter("s", ExecutionStatus.STARTED)
                .setParameter("since", clock.instant().minus(lease)).setMaxResults(1).getResultList().stream().findFirst();
    }

    /** A deployment's executions, newest first. */
    @Transactional
    public List<Execution> list(long deploymentId, int limit) {
        return em.createQuery("select e from Execution e where e.deploymentId = :d order by e.deploymentId desc, e.id desc", Execution.class)
                .setParameter("d", deploymentId).setMaxResults(limit).getResultList();
    }
}
