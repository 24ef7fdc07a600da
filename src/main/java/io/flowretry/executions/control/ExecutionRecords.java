package io.flowretry.executions.control;

import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code executions} rows. {@link #create} commits on its own (the job must find the row);
 * {@link #count} joins the chunk's transaction so the counts move with the bucket.
 */
@ApplicationScoped
public class ExecutionRecords {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Execution create(long deploymentId, String trigger, String startedBy, int flowVersion) {
        var execution = new Execution(deploymentId, trigger, startedBy, flowVersion, clock.instant());
        em.persist(execution);
        return execution;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void jobStarted(long executionId, long jobExecutionId) {
        em.createQuery("update Execution e set e.jobExecutionId = :job where e.id = :id")
                .setParameter("job", jobExecutionId).setParameter("id", executionId).executeUpdate();
    }

    /** Adds a chunk's counts, in the chunk's transaction. */
    @Transactional
    public void count(long executionId, int read, int succeeded, int failed) {
        em.createQuery("update Execution e set e.readCount = e.readCount + :read, e.succeeded = e.succeeded + :ok,"
                        + " e.failed = e.failed + :failed where e.id = :id")
                .setParameter("read", read).setParameter("ok", succeeded).setParameter("failed", failed)
                .setParameter("id", executionId).executeUpdate();
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

    /** Whether the deployment has an execution running that started less than {@code within} ago. */
    @Transactional
    public boolean running(long deploymentId, Duration within) {
        return !em.createQuery("select e.id from Execution e where e.deploymentId = :d and e.status = :s and e.startedAt > :since", Long.class)
                .setParameter("d", deploymentId).setParameter("s", ExecutionStatus.STARTED)
                .setParameter("since", clock.instant().minus(within)).setMaxResults(1).getResultList().isEmpty();
    }

    /** A deployment's executions, newest first. */
    @Transactional
    public List<Execution> list(long deploymentId, int limit) {
        return em.createQuery("select e from Execution e where e.deploymentId = :d order by e.deploymentId desc, e.id desc", Execution.class)
                .setParameter("d", deploymentId).setMaxResults(limit).getResultList();
    }
}
