package io.flowretry.executions.control;

import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.kernel.ConflictException;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code executions} rows: every statement on the table is here. {@link #create} commits on
 * its own (the job must find the row); {@link #count} runs in the chunk's transaction so the counts
 * (and the heartbeat) move with the bucket: plain JDBC on the chunk's connection with no transaction
 * interceptor, the same path as a retry chunk's counters ({@code snapshots.control.RunStore#record}).
 * One execution of a deployment runs at a time.
 */
@ApplicationScoped
public class ExecutionRecords {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ChunkTransaction chunk;

    /**
     * Stores a new STARTED execution, unless one of the deployment is running (a heartbeat younger
     * than {@code lease}) or, for a sync tick, the tick has run already (on this or another agent).
     * The deployment's row is locked for the checks, so two requests at the same instant cannot
     * both pass them; the unique (deployment, tick) key is the last word.
     *
     * @param tickAt the sync tick it runs for, or null for one started over the API
     * @param agentId the agent that runs it now, or null to leave it for an attached agent to {@link #claim}
     * @throws ConflictException (409) naming the running execution or the tick
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Execution create(long deploymentId, String trigger, String startedBy, int flowVersion, Duration lease, Instant tickAt, Long agentId) {
        em.createNativeQuery("select id from deployments where id = ?1 for update").setParameter(1, deploymentId).getResultList();
        running(deploymentId, lease).ifPresent(running -> {
            throw new ConflictException("deploymentId", "execution " + running + " of deployment " + deploymentId
                    + " is still running; one execution of a deployment runs at a time");
        });
        if (tickAt != null && !em.createNativeQuery("select id from executions where deployment_id = ?1 and tick_at = ?2")
                .setParameter(1, deploymentId).setParameter(2, InLists.utc(tickAt)).getResultList().isEmpty()) {
            throw new ConflictException("tickAt", "the sync tick " + tickAt + " of deployment " + deploymentId + " has run already");
        }
        var execution = new Execution(deploymentId, trigger, startedBy, flowVersion, clock.instant(), tickAt, agentId);
        em.persist(execution);
        em.flush(); // a unique-key violation surfaces here as a PersistenceException, not at the interceptor's commit
        return execution;
    }

    /**
     * The STARTED executions no agent has claimed yet (started through an agent not attached to
     * their environment), with a heartbeat after {@code freshAfter}, oldest first. A stale one is
     * the sweep's: it is taken over like a dead one.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Execution> unclaimed(Instant freshAfter) {
        return em.createQuery("select e from Execution e where e.status = :started and e.agentId is null and e.heartbeatAt > :fresh"
                        + " order by e.id", Execution.class)
                .setParameter("started", ExecutionStatus.STARTED).setParameter("fresh", freshAfter).getResultList();
    }

    /** Claims an unclaimed execution for this agent (one conditional update: of several agents exactly one wins). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claim(long executionId, long agentId) {
        return em.createNativeQuery("update executions set agent_id = ?1, heartbeat_at = ?2 where id = ?3 and status = 'STARTED'"
                        + " and agent_id is null")
                .setParameter(1, agentId).setParameter(2, InLists.utc(clock.instant())).setParameter(3, executionId)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void jobStarted(long executionId, long jobExecutionId) {
        em.createQuery("update Execution e set e.jobExecutionId = :job where e.id = :id")
                .setParameter("job", jobExecutionId).setParameter("id", executionId).executeUpdate();
    }

    /**
     * Adds a chunk's counts, moves the read position to the chunk's last source id and renews the
     * heartbeat, in the chunk's transaction (checked by {@link ChunkTransaction}). The counters move
     * in SQL, and {@code lock_version} with them, as the JPQL bulk update this replaces moved it
     * (EclipseLink); the job's end ({@link #finish}) reads the row afresh in its own transaction.
     */
    public void count(long executionId, int read, int succeeded, int failed, String lastSourceId) {
        try (var connection = chunk.connection("counting a chunk of a main execution");
             var ps = connection.prepareStatement("update executions set read_count = read_count + ?, succeeded = succeeded + ?,"
                     + " failed = failed + ?, read_position = ?, heartbeat_at = ?, lock_version = lock_version + 1 where id = ?")) {
            ps.setInt(1, read);
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setString(4, lastSourceId);
            ps.setObject(5, InLists.utc(clock.instant()));
            ps.setLong(6, executionId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count a chunk of execution " + executionId + ": " + e.getMessage(), e);
        }
    }

    /** Where the execution's reader goes on: after its last committed chunk's last source id (null: from the start). */
    @Transactional
    public Optional<String> readPosition(long executionId) {
        return find(executionId).map(Execution::getReadPosition);
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
                    .setParameter(1, InLists.utc(clock.instant())).setParameter(2, id).executeUpdate();
        }
        return renewed;
    }

    /** The STARTED executions whose heartbeat is older than {@code staleBefore}: their server died. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Execution> stale(Instant staleBefore) {
        return em.createQuery("select e from Execution e where e.status = :started and e.heartbeatAt < :stale order by e.id", Execution.class)
                .setParameter("started", ExecutionStatus.STARTED).setParameter("stale", staleBefore).getResultList();
    }

    /**
     * Takes a dead execution over: if it is still STARTED with a heartbeat older than
     * {@code staleBefore} and was taken over fewer than {@link Execution#MAX_TAKEOVERS} times, its
     * heartbeat is renewed and the takeover counted in one conditional update (native: a JPQL bulk
     * update would move {@code lock_version}), so of several servers sweeping at once exactly one
     * wins and starts its job again (and is the execution's agent from now on).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean takeOver(long executionId, Instant staleBefore, long agentId) {
        return em.createNativeQuery("update executions set heartbeat_at = ?1, takeovers = takeovers + 1, agent_id = ?5"
                        + " where id = ?2 and status = 'STARTED' and heartbeat_at < ?3 and takeovers < ?4")
                .setParameter(1, InLists.utc(clock.instant())).setParameter(2, executionId)
                .setParameter(3, InLists.utc(staleBefore)).setParameter(4, Execution.MAX_TAKEOVERS).setParameter(5, agentId)
                .executeUpdate() == 1;
    }

    /** Ends a dead execution (STARTED, heartbeat older than {@code staleBefore}) as FAILED; true if this call ended it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean endDead(long executionId, Instant staleBefore, String error) {
        return em.createQuery("update Execution e set e.status = :failed, e.error = :error, e.finishedAt = :now"
                        + " where e.id = :id and e.status = :started and e.heartbeatAt < :stale")
                .setParameter("failed", ExecutionStatus.FAILED).setParameter("started", ExecutionStatus.STARTED)
                .setParameter("error", error).setParameter("now", clock.instant()).setParameter("id", executionId)
                .setParameter("stale", staleBefore).executeUpdate() == 1;
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
