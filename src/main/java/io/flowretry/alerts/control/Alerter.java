package io.flowretry.alerts.control;

import io.flowretry.alerts.entity.AlertChannel;
import io.flowretry.alerts.entity.AlertDelivery;
import io.flowretry.alerts.entity.AlertEvent;
import io.flowretry.connectors.control.ConnectionWentDown;
import io.flowretry.snapshots.control.RunEnded;
import io.flowretry.snapshots.entity.RunStatus;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raises alerts and delivers them. An event reaches each channel that wants it at most once per
 * deployment and quiet period ({@code FLOWRETRY_ALERT_QUIET_MINUTES}, 15): an outage of an hour
 * sends 4 messages a channel, not 10,000. Delivery is tried at once on the managed executor, then
 * by {@link #sweep} with back-off until it is SENT or FAILED; every try is recorded.
 */
@ApplicationScoped
public class Alerter {

    private static final Logger LOG = Logger.getLogger(Alerter.class.getName());

    @Inject
    AlertStore store;

    @Inject
    MailSender mail;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_ALERT_QUIET_MINUTES", defaultValue = "15")
    int quietMinutes;

    @Resource
    ManagedExecutorService executor;

    void runEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunEnded run) {
        try {
            if (run.status() == RunStatus.FAILED) {
                raise(AlertEvent.RUN_FAILED, run.deploymentId(), "retry run " + run.runId() + " of "
                        + store.describe(run.deploymentId()) + " failed: " + run.reason());
            }
            if ("AUTO".equals(run.trigger()) && run.failed() > 0 && run.startedAt() != null) {
                long exhausted = store.exhaustedSince(run.deploymentId(), run.startedAt());
                if (exhausted > 0) {
                    raise(AlertEvent.RECORD_EXHAUSTED, run.deploymentId(), exhausted + " records of "
                            + store.describe(run.deploymentId()) + " used up their automatic tries in retry run " + run.runId()
                            + "; only a manual RESYNC retries them now");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Alerts for run " + run.runId() + " could not be raised", e);
        }
    }

    void connectionDown(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConnectionWentDown down) {
        try {
            raise(AlertEvent.CONNECTION_DOWN, down.connectionId(), "connection " + down.name() + " is DOWN (" + down.reason()
                    + "); the runs of its flows pause and resume by themselves once it answers again");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The CONNECTION_DOWN alert of connection " + down.name() + " could not be raised", e);
        }
    }

    /** Claims the quiet slot of each interested channel and tries the delivery at once. */
    public void raise(AlertEvent event, long deploymentId, String message) {
        long slot = clock.instant().getEpochSecond() / Duration.ofMinutes(Math.max(1, quietMinutes)).toSeconds();
        for (var channel : store.channels()) {
            if (channel.wants(event)) {
                store.claim(channel.getId(), event, deploymentId, slot, "[Process Flow Retry] " + event + ": " + message, clock.instant())
                        .ifPresent(id -> executor.execute(() -> deliver(id)));
            }
        }
    }

    /** "Send test": a delivery of its own, tried now; returns it after the try. */
    public AlertDelivery test(AlertChannel channel) {
        var now = clock.instant();
        long id = store.claim(channel.getId(), AlertEvent.TEST, 0, now.toEpochMilli() * 1000 + (System.nanoTime() % 1000),
                "[Process Flow Retry] TEST: channel '" + channel.getName() + "' works", now).orElseThrow();
        return deliver(id);
    }

    /** The pending deliveries that are due, and the bucket depth of every deployment for the channels that watch it. */
    public void sweep() {
        for (long id : store.due(clock.instant())) {
            deliver(id);
        }
        var watchers = store.channels().stream().filter(c -> c.wants(AlertEvent.BUCKET_DEPTH)).toList();
        if (watchers.isEmpty()) {
            return;
        }
        int lowest = watchers.stream().mapToInt(AlertChannel::getBucketDepthThreshold).min().orElseThrow();
        for (var row : store.failedDepths()) {
            long deployment = ((Number) row[0]).longValue();
            long depth = ((Number) row[1]).longValue();
            if (depth >= lowest) {
                raiseDepth(watchers, deployment, depth);
            }
        }
    }

    private void raiseDepth(java.util.List<AlertChannel> watchers, long deployment, long depth) {
        long slot = clock.instant().getEpochSecond() / Duration.ofMinutes(Math.max(1, quietMinutes)).toSeconds();
        for (var channel : watchers) {
            if (depth >= channel.getBucketDepthThreshold()) {
                store.claim(channel.getId(), AlertEvent.BUCKET_DEPTH, deployment, slot, "[Process Flow Retry] BUCKET_DEPTH: "
                                + depth + " failed records wait in the bucket of " + store.describe(deployment)
                                + " (threshold " + channel.getBucketDepthThreshold() + ")", clock.instant())
                        .ifPresent(this::deliver);
            }
        }
    }

    /** Longer than a webhook's or a mail's time-outs together: a try in flight is never taken twice. */
    private static final java.time.Duration TRY_LEASE = java.time.Duration.ofSeconds(120);

    AlertDelivery deliver(long deliveryId) {
        if (!store.startTry(deliveryId, clock.instant(), TRY_LEASE)) {
            return store.findDelivery(deliveryId).orElseThrow(); // sent, given up, or being tried by another caller
        }
        var delivery = store.findDelivery(deliveryId).orElseThrow();
        var channel = store.findChannel(delivery.getChannelId());
        if (channel.isEmpty()) {
            return delivery;
        }
        var c = channel.get();
        var result = c.getType() == AlertChannel.Type.EMAIL
                ? mail.send(c.getEmailTo(), delivery.getMessage().lines().findFirst().orElse("Process Flow Retry"), delivery.getMessage())
                : WebhookSender.send(c.getUrl(), c.getSecret(), WebhookSender.body(deliveryId, delivery.getEvent().name(),
                delivery.getDeploymentId(), delivery.getMessage(), delivery.getCreatedAt()));
        try {
            return store.tried(deliveryId, clock.instant(), result);
        } catch (RuntimeException e) {
            // another server tried it meanwhile (optimistic lock): its try is recorded
            return store.findDelivery(deliveryId).orElse(delivery);
        }
    }
}
