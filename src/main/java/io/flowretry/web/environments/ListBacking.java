package io.flowretry.web.environments;

import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Manage › Environments: the list with each one's agent health; admins create, activate and deactivate environments. */
@Named("environmentList")
@ViewScoped
public class ListBacking implements Serializable {

    @Inject
    Environments environments;

    @Inject
    UserBacking user;

    private transient List<Environment> rows;
    private transient Map<Long, Environments.AgentHealth> health;
    private String name;
    private String description;
    private String timeZone = "UTC";

    @PostConstruct
    void load() {
        rows = environments.list();
        health = environments.health();
    }

    /** The environment's agent health: "2 connected", "1 connected · 1 disconnected", or why it cannot run. */
    public String agents(long id) {
        getRows();
        var h = health.get(id);
        if (h == null) {
            return "";
        }
        var text = h.connected() + " connected" + (h.disconnected() > 0 ? " · " + h.disconnected() + " disconnected" : "")
                + (h.detached() > 0 ? " · " + h.detached() + " detached" : "");
        return h.runnable() ? text : text + " — " + h.reason();
    }

    public boolean runnable(long id) {
        getRows();
        var h = health.get(id);
        return h != null && h.runnable();
    }

    public List<Environment> getRows() {
        if (rows == null) {
            load();
        }
        return rows;
    }

    public void toggle(long id) {
        user.requireAdmin();
        var environment = environments.get(id);
        environments.update(id, !environment.isActive(), null, null);
        Messages.info(environment.getName() + (environment.isActive() ? " activated" : " deactivated"));
        load();
    }

    public void create() {
        user.requireAdmin();
        try {
            var created = environments.create(name, description, timeZone, true);
            Messages.info("Environment " + created.getName() + " created");
            name = null;
            description = null;
            load();
        } catch (InvalidInputException e) {
            Messages.fieldErrors(e, Map.of("name", "create:name", "timeZone", "create:timeZone", "description", "create:description"));
        } catch (ConflictException e) {
            Messages.error(e.getMessage());
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /** The time zones to choose from (region ids such as Europe/Berlin, then UTC), sorted. */
    public List<String> getTimeZones() {
        return TIME_ZONES;
    }

    private static final List<String> TIME_ZONES = java.util.stream.Stream.concat(
            java.time.ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).sorted(),
            java.util.stream.Stream.of("UTC")).toList();

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
