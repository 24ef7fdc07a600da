package io.flowretry.retry.control;

import io.flowretry.platform.control.InLists;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Keeps {@code deployments.next_run_at} equal to the slot the deployment's timer waits for.
 * Written by statement in a transaction of its own, not through the entity, so a user's
 * concurrent edit of the deployment never conflicts with it: plain SQL, because EclipseLink's JPQL
 * bulk update also moves {@code lock_version}, and a redeploy posted right after a deploy then got
 * 409 "changed by someone else" from the timer it had just armed (ConfigApiIT in CI).
 */
@ApplicationScoped
public class NextRuns {

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void set(long deploymentId, Instant slot) {
        var update = slot == null
                ? em.createNativeQuery("update deployments set next_run_at = null where id = ?1").setParameter(1, deploymentId)
                : em.createNativeQuery("update deployments set next_run_at = ?2 where id = ?1").setParameter(1, deploymentId)
                        .setParameter(2, InLists.utc(slot));
        update.executeUpdate();
    }
}
