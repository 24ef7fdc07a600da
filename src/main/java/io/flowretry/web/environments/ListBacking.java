package io.flowretry.web.environments;

import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.boundary.InvalidInputException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Manage › Environments: the list; admins create, activate and deactivate environments. */
@Named("environmentList")
@ViewScoped
public class ListBacking implements Serializable {

    @Inject
    Environments environments;

    @Inject
    UserBacking user;

    private transient List<Environment> rows;
    private String name;
    private String description;
    private String timeZone = "UTC";

    @PostConstruct
    void load() {
        rows = environments.list();
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

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
