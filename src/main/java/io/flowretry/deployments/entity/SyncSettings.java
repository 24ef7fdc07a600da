package io.flowretry.deployments.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.util.Objects;

/** How a deployment's main run is started: MANUAL (the default), or AUTO every {@code everyMinutes} (at least 1). */
@Embeddable
public class SyncSettings {

    @Enumerated(EnumType.STRING)
    @Column(name = "sync_mode")
    private SyncMode mode;

    @Column(name = "sync_every_minutes")
    private Integer everyMinutes;

    protected SyncSettings() {
    }

    public SyncSettings(SyncMode mode, Integer everyMinutes) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.everyMinutes = mode == SyncMode.AUTO ? everyMinutes : null;
    }

    public static SyncSettings manual() {
        return new SyncSettings(SyncMode.MANUAL, null);
    }

    public SyncMode getMode() {
        return mode;
    }

    /** Minutes between automatic main runs; null unless AUTO. */
    public Integer getEveryMinutes() {
        return everyMinutes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncSettings s && mode == s.mode && Objects.equals(everyMinutes, s.everyMinutes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, everyMinutes);
    }

    @Override
    public String toString() {
        return mode + (everyMinutes == null ? "" : " every " + everyMinutes + " min");
    }
}
