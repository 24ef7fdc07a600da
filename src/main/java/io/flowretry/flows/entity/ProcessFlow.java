package io.flowretry.flows.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A process flow: a name, a description and the number of its newest {@link FlowVersion}. Every
 * change of its definition makes a new version; old versions are kept (snapshots name them).
 */
@Entity
@Table(name = "process_flows")
@NamedQuery(name = ProcessFlow.ALL, query = "select f from ProcessFlow f order by f.name")
@NamedQuery(name = ProcessFlow.BY_NAME, query = "select f from ProcessFlow f where f.name = :name")
public class ProcessFlow extends Identified {

    public static final String ALL = "ProcessFlow.all";
    public static final String BY_NAME = "ProcessFlow.byName";

    private String name;
    private String description;

    @Column(name = "current_version")
    private int currentVersion;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected ProcessFlow() {
    }

    public ProcessFlow(String name, String description, Instant createdAt) {
        this.name = name;
        this.description = description;
        this.currentVersion = 1;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** Moves to the next version number (the caller stores the matching {@link FlowVersion}). */
    public int nextVersion(String name, String description, Instant at) {
        this.name = name;
        this.description = description;
        this.currentVersion++;
        this.updatedAt = at;
        return currentVersion;
    }


    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public int getCurrentVersion() {
        return currentVersion;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
