package io.flowretry.environments.boundary;

import io.flowretry.environments.entity.Environment;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.boundary.NotFoundException;
import io.flowretry.platform.boundary.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Creates, finds and changes environments. */
@ApplicationScoped
@Transactional
public class Environments {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Event<EnvironmentChanged> changed;

    public Environment create(String name, String description, String timeZone, Boolean active) {
        var v = new Validation()
                .require("name", name)
                .maxLength(name, 100, "name")
                .maxLength(description, 1000, "description");
        var zone = zone(timeZone == null ? "UTC" : timeZone, v);
        v.throwIfInvalid();
        if (findByName(name.trim()).isPresent()) {
            throw new ConflictException("name", "an environment named " + name.trim() + " exists already");
        }
        var environment = new Environment(name.trim(), description, zone, active == null || active, clock.instant());
        em.persist(environment);
        return environment;
    }

    public List<Environment> list() {
        return em.createNamedQuery(Environment.ALL, Environment.class).getResultList();
    }

    public Optional<Environment> find(long id) {
        return Optional.ofNullable(em.find(Environment.class, id));
    }

    public Environment get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("environment", id));
    }

    public Optional<Environment> findByName(String name) {
        return em.createNamedQuery(Environment.BY_NAME, Environment.class).setParameter("name", name)
                .getResultStream().findFirst();
    }

    /** Changes what is given (null = keep). Retry timers follow through {@link EnvironmentChanged}. */
    public Environment update(long id, Boolean active, String description, String timeZone) {
        var environment = get(id);
        var v = new Validation().maxLength(description, 1000, "description");
        var zone = timeZone == null ? null : zone(timeZone, v);
        v.throwIfInvalid();
        boolean scheduleChanges = (active != null && active != environment.isActive())
                || (zone != null && !zone.equals(environment.getTimeZone()));
        if (active != null) {
            environment.setActive(active);
        }
        if (description != null) {
            environment.setDescription(description);
        }
        if (zone != null) {
            environment.setTimeZone(zone);
        }
        em.flush();
        if (scheduleChanges) {
            changed.fire(new EnvironmentChanged(id));
        }
        return environment;
    }

    private static ZoneId zone(String timeZone, Validation v) {
        try {
            return ZoneId.of(Objects.requireNonNull(timeZone).trim());
        } catch (DateTimeException | NullPointerException e) {
            v.check(false, "timeZone", "must be an IANA time zone such as Europe/Berlin");
            return null;
        }
    }
}
