package io.flowretry.alerts.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Where alerts go: a webhook URL (optionally signed with a secret) or an e-mail address, and which events. */
@Entity
@Table(name = "alert_channels")
@NamedQuery(name = AlertChannel.ALL, query = "select c from AlertChannel c order by c.name")
public class AlertChannel extends Identified {

    public static final String ALL = "AlertChannel.all";

    public enum Type { WEBHOOK, EMAIL }

    private String name;
    private String type;
    private String url;
    @Column(name = "email_to")
    private String emailTo;
    private String secret;
    private String events;
    @Column(name = "bucket_depth_threshold")
    private Integer bucketDepthThreshold;
    @Column(name = "created_at")
    private Instant createdAt;
    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected AlertChannel() {
    }

    public AlertChannel(String name, Type type, String url, String emailTo, String secret, Set<AlertEvent> events,
                        Integer bucketDepthThreshold, Instant createdAt) {
        if (events.isEmpty() || events.contains(AlertEvent.TEST)) {
            throw new IllegalArgumentException("events " + events);
        }
        if (events.contains(AlertEvent.BUCKET_DEPTH) && (bucketDepthThreshold == null || bucketDepthThreshold < 1)) {
            throw new IllegalArgumentException("BUCKET_DEPTH needs a threshold");
        }
        this.name = name;
        this.type = type.name();
        this.url = url;
        this.emailTo = emailTo;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.events = events.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        this.bucketDepthThreshold = bucketDepthThreshold;
        this.createdAt = createdAt;
    }

    public boolean wants(AlertEvent event) {
        return event == AlertEvent.TEST || getEvents().contains(event);
    }

    public String getName() {
        return name;
    }

    public Type getType() {
        return Type.valueOf(type);
    }

    public String getUrl() {
        return url;
    }

    public String getEmailTo() {
        return emailTo;
    }

    public String getSecret() {
        return secret;
    }

    public boolean hasSecret() {
        return secret != null;
    }

    public Set<AlertEvent> getEvents() {
        var set = EnumSet.noneOf(AlertEvent.class);
        Arrays.stream(events.split(",")).filter(s -> !s.isBlank()).forEach(s -> set.add(AlertEvent.valueOf(s)));
        return set;
    }

    public Integer getBucketDepthThreshold() {
        return bucketDepthThreshold;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
