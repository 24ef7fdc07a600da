package io.flowretry.environments.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.ZoneId;

@Entity
@Table(name = "environments")
@NamedQuery(name = Environment.ALL, query = "select e from Environment e order by e.name")
@NamedQuery(name = Environment.BY_NAME, query = "select e from Environment e where e.name = :name")
public class Environment extends Identified {

    public static final String ALL = "Environment.all";
    public static final String BY_NAME = "Environment.byName";

    private String name;
    private String description;

    @Column(name = "time_zone")
    private String timeZone;

    private boolean active;

    @Column(name = "created_at")
    private Instant createdAt;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected Environment() {
    }

    public Environment(String name, String description, ZoneId timeZone, boolean active, Instant createdAt) {
        this.name = name;
        this.description = description;
        this.timeZone = timeZone.getId();
        this.active = active;
        this.createdAt = createdAt;
    }


    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public ZoneId getTimeZone() {
        return ZoneId.of(timeZone);
    }

    public void setTimeZone(ZoneId timeZone) {
        this.timeZone = timeZone.getId();
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
