package io.flowretry.alerts.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Duration;
import java.time.Instant;

/**
 * One alert for one channel and its delivery: PENDING until a try succeeds (SENT) or the last of
 * {@link #MAX_ATTEMPTS} tries fails (FAILED); tries back off 30 s, 1, 2, 4 min.
 */
@Entity
@Table(name = "alert_deliveries")
@NamedQuery(name = AlertDelivery.DUE, query = "select d from AlertDelivery d where d.status = :pending and d.nextTryAt <= :now order by d.nextTryAt")
@NamedQuery(name = AlertDelivery.OF_CHANNEL, query = "select d from AlertDelivery d where d.channelId = :channel order by d.id desc")
@NamedQuery(name = AlertDelivery.LATEST, query = "select d from AlertDelivery d order by d.id desc")
public class AlertDelivery extends Identified {

    public static final String DUE = "AlertDelivery.due";
    public static final String OF_CHANNEL = "AlertDelivery.ofChannel";
    public static final String LATEST = "AlertDelivery.latest";
    public static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);

    public enum Status { PENDING, SENT, FAILED }

    @Column(name = "channel_id")
    private long channelId;
    private String event;
    @Column(name = "deployment_id")
    private long deploymentId;
    @Column(name = "quiet_slot")
    private long quietSlot;
    private String message;
    private String status;
    private int attempts;
    @Column(name = "http_status")
    private Integer httpStatus;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "next_try_at")
    private Instant nextTryAt;
    @Column(name = "sent_at")
    private Instant sentAt;
    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected AlertDelivery() {
    }

    public AlertDelivery(long channelId, AlertEvent event, long deploymentId, long quietSlot, String message, Instant now) {
        this.channelId = channelId;
        this.event = event.name();
        this.deploymentId = deploymentId;
        this.quietSlot = quietSlot;
        this.message = message.length() > 2000 ? message.substring(0, 2000) : message;
        this.status = Status.PENDING.name();
        this.createdAt = now;
        this.nextTryAt = now;
    }

    /** A try answered {@code httpStatus} (null: no answer) with {@code error} (null: delivered). */
    public void tried(Instant at, Integer httpStatus, String error) {
        if (getStatus() != Status.PENDING) {
            throw new IllegalStateException("delivery " + getId() + " is " + status);
        }
        attempts++;
        this.httpStatus = httpStatus;
        if (error == null) {
            status = Status.SENT.name();
            sentAt = at;
            nextTryAt = null;
            lastError = null;
        } else {
            lastError = error.length() > 1000 ? error.substring(0, 1000) : error;
            if (attempts >= MAX_ATTEMPTS) {
                status = Status.FAILED.name();
                nextTryAt = null;
            } else {
                nextTryAt = at.plus(FIRST_BACKOFF.multipliedBy(1L << (attempts - 1)));
            }
        }
    }

    public long getChannelId() {
        return channelId;
    }

    public AlertEvent getEvent() {
        return AlertEvent.valueOf(event);
    }

    public long getDeploymentId() {
        return deploymentId;
    }

    public String getMessage() {
        return message;
    }

    public Status getStatus() {
        return Status.valueOf(status);
    }

    public int getAttempts() {
        return attempts;
    }

    public Integer getHttpStatus() {
        return httpStatus;
    }

    public String getLastError() {
        return lastError;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getNextTryAt() {
        return nextTryAt;
    }

    public Instant getSentAt() {
        return sentAt;
    }
}
