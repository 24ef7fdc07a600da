package io.flowretry.snapshots.boundary;

import io.flowretry.snapshots.control.RunEnded;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunItem;
import io.flowretry.snapshots.entity.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Retry runs and their snapshots: creates runs (a scheduled run's insert is its slot claim),
 * records the items a run tried, and ends runs. Every run, even a SKIPPED one, leaves a row.
 */
@ApplicationScoped
@Transactional
public class Snapshots {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Event<RunEnded> runEnded;

    /**
     * Stores a new run in its own transaction and returns it, by the start rule: one live run per
     * deployment (STARTED with a heartbeat after {@code freshAfter}, AUTO or MANUAL alike). The
     * deployment's row is locked for the check, so every server sharing the database agrees. When
     * a run is live, a scheduled run is stored SKIPPED with the reason (its row still claims the
     * slot) and any other is refused (409, nothing stored). For a scheduled run the insert is the
     * slot claim: if another server claimed the slot first, the unique (deployment, slot) key makes
     * this fail with an exception (see {@link #slotTaken}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public RetryRun open(RetryRun run, Instant freshAfter) {
        em.createNativeQuery("select id from deployments where id = ?1 for update").setParameter(1, run.getDeploymentId()).getResultList();
        var live = liveRun(run.getDeploymentId(), -1, freshAfter);
        if (live.isPresent()) {
            var reason = "run " + live.get().getId() + " of this deployment is still going";
            if (run.getSlotAt() == null) {
                throw new ConflictException("deploymentId", reason + "; one retry run of a deployment runs at a time");
            }
            run.skip(reason, clock.instant());
        }
        em.persist(run);
        em.flush();
        return run;
    }

    /** Whether some run holds the slot {@code slotAt} of the deployment. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean slotTaken(long deploymentId, Instant slotAt) {
        return em.createQuery("select count(r) from RetryRun r where r.deploymentId = :d and r.slotAt = :s", Long.class)
                .setParameter("d", deploymentId).setParameter("s", slotAt).getSingleResult() > 0;
    }

    /** The newest slot any run of the deployment claimed; empty if none. */
    public Optional<Instant> lastSlot(long deploymentId) {
        // native: EclipseLink hands an aggregate's raw JDBC value (a Timestamp on PostgreSQL) to the Instant converter
        Object max = em.createNativeQuery("select max(slot_at) from retry_runs where deployment_id = ?1")
                .setParameter(1, deploymentId).getSingleResult();
        return Optional.ofNullable(switch (max) {
            case null -> null;
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected slot type " + max.getClass());
        });
    }

    /** Another run of the deployment still going: STARTED with a heartbeat after {@code freshAfter}. */
    public Optional<RetryRun> liveRun(long deploymentId, long exceptRunId, Instant freshAfter) {
        return em.createNamedQuery(RetryRun.LIVE_OF_DEPLOYMENT, RetryRun.class)
                .setParameter("deploymentId", deploymentId).setParameter("status", RunStatus.STARTED)
                .setParameter("freshAfter", freshAfter).setParameter("except", exceptRunId)
                .setMaxResults(1).getResultStream().findFirst();
    }

    public List<RetryRun> list(long deploymentId, int limit) {
        return em.createNamedQuery(RetryRun.BY_DEPLOYMENT, RetryRun.class)
                .setParameter("deploymentId", deploymentId).setMaxResults(limit).getResultList();
    }

    public Optional<RetryRun> find(long runId) {
        return Optional.ofNullable(em.find(RetryRun.class, runId));
    }

    public RetryRun get(long runId) {
        return find(runId).orElseThrow(() -> new NotFoundException("retry run", runId));
    }

    /** A page of the run's items in id order, after the item id {@code after}. */
    /**
     * A page of the deployment's runs, newest first: those before run {@code beforeRunId} (null: from
     * the newest), of the trigger and status given (null: any). Keyset on the run id, read on the
     * index {@code (deployment_id desc, id desc)}; trigger and status filter the rows read.
     */
    public List<RetryRun> page(long deploymentId, Long beforeRunId, String trigger, RunStatus status, int limit) {
        var jpql = new StringBuilder("select r from RetryRun r where r.deploymentId = :deploymentId");
        if (beforeRunId != null) {
            jpql.append(" and r.id < :before");
        }
        if (trigger != null) {
            jpql.append(" and r.triggerType = :trigger");
        }
        if (status != null) {
            jpql.append(" and r.status = :status");
        }
        var query = em.createQuery(jpql.append(" order by r.deploymentId desc, r.id desc").toString(), RetryRun.class)
                .setParameter("deploymentId", deploymentId);
        if (beforeRunId != null) {
            query.setParameter("before", beforeRunId);
        }
        if (trigger != null) {
            query.setParameter("trigger", trigger);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** {@link #items(long, long, int)} of one outcome only (FAILED, say); null: every outcome. */
    public List<RunItem> items(long runId, long after, int limit, String outcome) {
        if (outcome == null) {
            return items(runId, after, limit);
        }
        return em.createQuery("select i from RunItem i where i.runId = :runId and i.id > :after and i.outcome = :outcome"
                        + " order by i.runId, i.id", RunItem.class)
                .setParameter("runId", runId).setParameter("after", after).setParameter("outcome", outcome)
                .setMaxResults(limit).getResultList();
    }

    public List<RunItem> items(long runId, long after, int limit) {
        return em.createNamedQuery(RunItem.PAGE, RunItem.class)
                .setParameter("runId", runId).setParameter("after", after).setMaxResults(limit).getResultList();
    }

    public boolean deploymentExists(long deploymentId) {
        return ((Number) em.createNativeQuery("select count(*) from deployments where id = ?1")
                .setParameter(1, deploymentId).getSingleResult()).longValue() > 0;
    }

    /** Ends a run that starts no job. Run rows are changed by update statements: no lost update between the job and its starter. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void skip(long runId, String reason) {
        em.createQuery("update RetryRun r set r.status = :s, r.reason = :reason, r.finishedAt = :now where r.id = :id")
                .setParameter("s", RunStatus.SKIPPED).setParameter("reason", reason).setParameter("now", clock.instant())
                .setParameter("id", runId).executeUpdate();
        ended(runId);
    }

    /**
     * The run goes on (a restart, a takeover or a resume): STARTED again with a fresh heartbeat and
     * no stop requested, in a new generation, so every attached agent may join it again as a worker.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void resumed(long runId) {
        em.createQuery("update RetryRun r set r.status = :s, r.reason = null, r.finishedAt = null, r.heartbeatAt = :now,"
                        + " r.stopRequested = false, r.generation = r.generation + 1 where r.id = :id")
                .setParameter("s", RunStatus.STARTED).setParameter("now", clock.instant()).setParameter("id", runId).executeUpdate();
    }

    /** The run's job (first start or restart) is running as {@code jobExecutionId}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void running(long runId, long jobExecutionId) {
        em.createQuery("update RetryRun r set r.status = :s, r.reason = null, r.finishedAt = null, r.heartbeatAt = :now,"
                        + " r.jobExecutionId = :exec, r.stopRequested = false where r.id = :id")
                .setParameter("s", RunStatus.STARTED).setParameter("now", clock.instant()).setParameter("exec", jobExecutionId)
                .setParameter("id", runId).executeUpdate();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long runId, RunStatus status, String reason) {
        // a run ends once: the last of several agents' workers must not complete a run another one paused or failed
        int updated = em.createQuery("update RetryRun r set r.status = :s, r.reason = :reason, r.finishedAt = :now"
                        + " where r.id = :id and r.status = :started")
                .setParameter("s", status).setParameter("reason", reason == null ? null : reason.substring(0, Math.min(1000, reason.length())))
                .setParameter("now", clock.instant()).setParameter("id", runId).setParameter("started", RunStatus.STARTED).executeUpdate();
        if (updated > 0) {
            ended(runId);
        }
    }

    /** Tells the observers (metrics, alerts) how the run ended, as committed by the update just made. */
    private void ended(long runId) {
        var run = em.find(RetryRun.class, runId);
        if (run != null) {
            em.refresh(run);
            runEnded.fire(RunEnded.of(run));
        }
    }

    /** Asks the agent running the STARTED run to stop it at its next chunk (the run's row is how a stop crosses agents). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void requestStop(long runId) {
        em.createQuery("update RetryRun r set r.stopRequested = true where r.id = :id and r.status = :started")
                .setParameter("id", runId).setParameter("started", RunStatus.STARTED).executeUpdate();
    }

    /** The STARTED runs with a heartbeat after {@code freshAfter}: what an agent may join. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<RetryRun> live(Instant freshAfter) {
        return em.createNamedQuery(RetryRun.LIVE, RetryRun.class)
                .setParameter("status", RunStatus.STARTED).setParameter("freshAfter", freshAfter).getResultList();
    }

    /** Renews the heartbeat of the STARTED runs among {@code runIds} (their jobs run on this server). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int renew(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return 0;
        }
        return em.createQuery("update RetryRun r set r.heartbeatAt = :now where r.id in :ids and r.status = :started")
                .setParameter("now", clock.instant()).setParameter("ids", runIds).setParameter("started", RunStatus.STARTED)
                .executeUpdate();
    }

    /** Lets a STARTED run's heartbeat expire ({@code at}): the next sweep takes it over. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void expire(long runId, Instant at) {
        em.createQuery("update RetryRun r set r.heartbeatAt = :at where r.id = :id and r.status = :started")
                .setParameter("at", at).setParameter("id", runId).setParameter("started", RunStatus.STARTED).executeUpdate();
    }

    /** The STARTED runs whose heartbeat is older than {@code staleBefore}: their server died. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<RetryRun> stale(Instant staleBefore) {
        return em.createNamedQuery(RetryRun.STALE, RetryRun.class)
                .setParameter("status", RunStatus.STARTED).setParameter("staleBefore", staleBefore).getResultList();
    }

    /**
     * Takes a dead run over: if it is still STARTED with a heartbeat older than {@code staleBefore}
     * and was taken over fewer than {@link RetryRun#MAX_TAKEOVERS} times, its heartbeat is renewed
     * and its takeovers counted, in one conditional update, so of several servers sweeping at once
     * exactly one wins. True for the winner, which then starts the run's job again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean takeOver(long runId, Instant staleBefore) {
        return em.createQuery("update RetryRun r set r.heartbeatAt = :now, r.takeovers = r.takeovers + 1, r.reason = null"
                        + " where r.id = :id and r.status = :started and r.heartbeatAt < :stale and r.takeovers < :max")
                .setParameter("now", clock.instant()).setParameter("id", runId).setParameter("started", RunStatus.STARTED)
                .setParameter("stale", staleBefore).setParameter("max", RetryRun.MAX_TAKEOVERS).executeUpdate() == 1;
    }

    /** The PAUSED runs (an app of their flow was DOWN), oldest first. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<RetryRun> paused() {
        return em.createQuery("select r from RetryRun r where r.status = :paused order by r.id", RetryRun.class)
                .setParameter("paused", RunStatus.PAUSED).getResultList();
    }

    /**
     * Resumes a PAUSED run: STARTED with a fresh heartbeat, in one conditional update, so of several
     * servers sweeping at once exactly one wins. True for the winner, which then starts the run's job again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean unpause(long runId) {
        return em.createQuery("update RetryRun r set r.status = :started, r.heartbeatAt = :now, r.finishedAt = null"
                        + " where r.id = :id and r.status = :paused")
                .setParameter("started", RunStatus.STARTED).setParameter("now", clock.instant()).setParameter("id", runId)
                .setParameter("paused", RunStatus.PAUSED).executeUpdate() == 1;
    }

    /** Ends a dead run (STARTED, heartbeat older than {@code staleBefore}) as FAILED; true if this call ended it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean endDead(long runId, Instant staleBefore, String reason) {
        return em.createQuery("update RetryRun r set r.status = :failed, r.reason = :reason, r.finishedAt = :now"
                        + " where r.id = :id and r.status = :started and r.heartbeatAt < :stale")
                .setParameter("failed", RunStatus.FAILED).setParameter("reason", reason).setParameter("now", clock.instant())
                .setParameter("id", runId).setParameter("started", RunStatus.STARTED).setParameter("stale", staleBefore)
                .executeUpdate() == 1;
    }
}
