package io.flowretry.retry.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Keeps {@code deployments.next_run_at} equal to the slot the deployment's timer waits for.
 * Written by statement in a transaction of its own, not through the entity, so a user's
 * concurrent edit of the deployment never conflicts with it.
 */
@ApplicationScoped
public class NextRuns {

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void set(long deploymentId, Instant slot) {
        em.createQuery("update Deployment d set d.nextRunAt = :slot where d.id = :id")
                .setParameter("slot", slot).setParameter("id", deploymentId).executeUpdate();
    }
}
