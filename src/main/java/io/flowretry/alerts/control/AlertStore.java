package io.flowretry.alerts.control;

import io.flowretry.alerts.entity.AlertChannel;
import io.flowretry.alerts.entity.AlertDelivery;
import io.flowretry.alerts.entity.AlertEvent;
import io.flowretry.platform.control.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The alerts' database work, each call its own transaction: a delivery's HTTP call never holds one. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class AlertStore {

    @PersistenceContext
    EntityManager em;

    public List<AlertChannel> channels() {
        return em.createNamedQuery(AlertChannel.ALL, AlertChannel.class).getResultList();
    }

    public Optional<AlertChannel> findChannel(long id) {
        return Optional.ofNullable(em.find(AlertChannel.class, id));
    }

    /**
     * The alert of this quiet slot for the channel, event and deployment, if this call is the first:
     * the unique key refuses the others (on any server).
     */
    public Optional<Long> claim(long channelId, AlertEvent event, long deploymentId, long quietSlot, String message, Instant now) {
        var delivery = new AlertDelivery(channelId, event, deploymentId, quietSlot, message, now);
        try {
            em.persist(delivery);
            em.flush();
            return Optional.of(delivery.getId());
        } catch (PersistenceException e) {
            if (UniqueViolation.isCause(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<AlertDelivery> findDelivery(long id) {
        return Optional.ofNullable(em.find(AlertDelivery.class, id));
    }

    public List<Long> due(Instant now) {
        return em.createNamedQuery(AlertDelivery.DUE, AlertDelivery.class).setParameter("pending", AlertDelivery.Status.PENDING.name())
                .setParameter("now", now).setMaxResults(100).getResultList().stream().map(AlertDelivery::getId).toList();
    }

    /**
     * Takes the delivery's next try for {@code lease}, if it is PENDING and due: true for exactly one of
     * the callers racing for it (the inline try after the claim, a sweep, another server), so an alert
     * is sent once. A caller that dies mid-try leaves it due again after the lease.
     */
    public boolean startTry(long deliveryId, Instant now, java.time.Duration lease) {
        return em.createQuery("update AlertDelivery d set d.nextTryAt = :until where d.id = :id and d.status = :pending and d.nextTryAt <= :now")
                .setParameter("until", now.plus(lease)).setParameter("id", deliveryId)
                .setParameter("pending", AlertDelivery.Status.PENDING.name()).setParameter("now", now).executeUpdate() == 1;
    }

    public AlertDelivery tried(long deliveryId, Instant at, WebhookSender.Result result) {
        var d = em.find(AlertDelivery.class, deliveryId);
        d.tried(at, result.status(), result.error());
        return d;
    }

    public List<AlertDelivery> latest(Long channelId, int limit) {
        var q = channelId == null ? em.createNamedQuery(AlertDelivery.LATEST, AlertDelivery.class)
                : em.createNamedQuery(AlertDelivery.OF_CHANNEL, AlertDelivery.class).setParameter("channel", channelId);
        return q.setMaxResults(limit).getResultList();
    }

    /** "flow 'X' in environment 'Y'" for a message; the bare id where the deployment is gone. */
    public String describe(long deploymentId) {
        List<?> rows = em.createNativeQuery("select f.name, e.name from deployments d join process_flows f on f.id = d.flow_id"
                + " join environments e on e.id = d.environment_id where d.id = ?1").setParameter(1, deploymentId).getResultList();
        if (rows.isEmpty()) {
            return "deployment " + deploymentId;
        }
        var row = (Object[]) rows.getFirst();
        return "flow '" + row[0] + "' in environment '" + row[1] + "' (deployment " + deploymentId + ")";
    }

    /** Items of a deployment whose automatic tries ran out in a run that began at {@code since} (the due index's range). */
    public long exhaustedSince(long deploymentId, Instant since) {
        return ((Number) em.createNativeQuery("select count(*) from bucket_items where deployment_id = ?1 and queue_state = 'EXHAUSTED'"
                        + " and last_attempt_at >= ?2").setParameter(1, deploymentId)
                .setParameter(2, io.flowretry.platform.control.InLists.utc(since)).getSingleResult()).longValue();
    }

    /** Failed items of every live deployment (queued, exhausted, parked: index ranges, never the resolved bulk). */
    public List<Object[]> failedDepths() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select d.id, (select count(*) from bucket_items b where b.deployment_id = d.id"
                + " and b.queue_state in ('QUEUED', 'EXHAUSTED', 'PARKED')) from deployments d where d.undeployed_at is null").getResultList();
        return rows;
    }
}
