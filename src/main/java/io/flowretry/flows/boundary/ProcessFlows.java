package io.flowretry.flows.boundary;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.connectors.control.ConnectionDeleting;
import io.flowretry.flows.control.FlowDefinition;
import io.flowretry.flows.control.FlowDeleting;
import io.flowretry.flows.control.FlowFit;
import io.flowretry.flows.entity.FlowVersion;
import io.flowretry.flows.entity.ProcessFlow;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.FieldError;
import io.flowretry.platform.control.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Process flows and their versions. Creating a flow stores version 1; every update stores a new
 * version (current + 1) and keeps the old ones. A definition is accepted only when it is
 * structurally sound and fits existing connections ({@link FlowFit}); names are unique (409).
 */
@ApplicationScoped
@Transactional
public class ProcessFlows {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Connections connections;

    @Inject
    Event<FlowDeleting> deleting;

    public ProcessFlow create(String name, String description, FlowDefinition definition) {
        var stored = checked(name, description, definition);
        var trimmed = name.trim();
        if (findByName(trimmed).isPresent()) {
            throw new ConflictException("name", "a process flow named " + trimmed + " exists already");
        }
        var now = clock.instant();
        var flow = new ProcessFlow(trimmed, description, now);
        em.persist(flow);
        flushOrConflict(trimmed); // no JPA relationship orders the inserts: the flow row must exist before its version's foreign key
        em.persist(new FlowVersion(flow.getId(), flow.getCurrentVersion(), stored.toJson(), now));
        em.flush();
        return flow;
    }

    /**
     * {@link #create} with the definition as JSON text (source, mapping, destination), as the console's editor has it.
     *
     * @throws InvalidInputException (400) naming {@code definition} when it is not JSON of a definition
     */
    public ProcessFlow createFromJson(String name, String description, String definitionJson) {
        return create(name, description, parsed(definitionJson));
    }

    /** {@link #update} with the definition as JSON text; not JSON: as {@link #createFromJson}. */
    public ProcessFlow updateFromJson(long id, String name, String description, String definitionJson) {
        return update(id, name, description, parsed(definitionJson));
    }

    private static FlowDefinition parsed(String json) {
        try {
            return FlowDefinition.fromJson(json);
        } catch (JsonbException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new InvalidInputException("definition", "is not valid JSON: " + root.getMessage());
        }
    }

    /** Replaces name, description and definition: stores the next version and makes it current. */
    public ProcessFlow update(long id, String name, String description, FlowDefinition definition) {
        var flow = get(id);
        var stored = checked(name, description, definition);
        var trimmed = name.trim();
        findByName(trimmed).filter(other -> !other.getId().equals(flow.getId())).ifPresent(other -> {
            throw new ConflictException("name", "a process flow named " + trimmed + " exists already");
        });
        var now = clock.instant();
        int versionNo = flow.nextVersion(trimmed, description, now);
        em.persist(new FlowVersion(flow.getId(), versionNo, stored.toJson(), now));
        flushOrConflict(trimmed);
        return flow;
    }

    /**
     * Deletes a flow and its versions when no deployment uses it: deployments answer {@link FlowDeleting}
     * with a 409 naming the one that does (an undeployed one too, whose bucket stays readable), and then
     * nothing is deleted.
     */
    public void delete(long id) {
        var flow = get(id);
        deleting.fire(new FlowDeleting(id, flow.getName()));
        versions(id).forEach(em::remove);
        em.flush(); // the versions' rows go before the flow's (foreign key; no JPA relationship orders them)
        em.remove(flow);
        em.flush();
    }

    /** A connection named by the current version of a flow is in use (older versions count where deployed: deployments check those). */
    void connectionDeleting(@Observes ConnectionDeleting event) {
        for (var flow : list()) {
            var definition = currentDefinition(flow.getId());
            if (event.name().equals(definition.source().connection()) || event.name().equals(definition.destination().connection())) {
                throw new ConflictException("id", "the connection " + event.name() + " is used by the process flow "
                        + flow.getName() + ": change or delete the flow first");
            }
        }
    }

    public List<ProcessFlow> list() {
        return em.createNamedQuery(ProcessFlow.ALL, ProcessFlow.class).getResultList();
    }

    public Optional<ProcessFlow> find(long id) {
        return Optional.ofNullable(em.find(ProcessFlow.class, id));
    }

    public ProcessFlow get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("process flow", id));
    }

    public Optional<ProcessFlow> findByName(String name) {
        return em.createNamedQuery(ProcessFlow.BY_NAME, ProcessFlow.class).setParameter("name", name)
                .getResultStream().findFirst();
    }

    public ProcessFlow getByName(String name) {
        return findByName(name).orElseThrow(() -> new NotFoundException("process flow", name));
    }

    public Optional<FlowVersion> findVersion(long flowId, int versionNo) {
        return em.createNamedQuery(FlowVersion.BY_FLOW_AND_NO, FlowVersion.class)
                .setParameter("flowId", flowId).setParameter("versionNo", versionNo)
                .getResultStream().findFirst();
    }

    public FlowVersion getVersion(long flowId, int versionNo) {
        return findVersion(flowId, versionNo)
                .orElseThrow(() -> new NotFoundException("version " + versionNo + " of process flow", flowId));
    }

    /** Every version of a flow, oldest first. */
    public List<FlowVersion> versions(long flowId) {
        return em.createNamedQuery(FlowVersion.BY_FLOW, FlowVersion.class).setParameter("flowId", flowId).getResultList();
    }

    public FlowDefinition definition(long flowId, int versionNo) {
        return FlowDefinition.fromJson(getVersion(flowId, versionNo).getDefinition());
    }

    /** The definition of the flow's current version. */
    public FlowDefinition currentDefinition(long flowId) {
        return definition(flowId, get(flowId).getCurrentVersion());
    }

    /** The definition of the flow's current version as JSON text (what {@link #createFromJson} takes). */
    public String currentDefinitionJson(long flowId) {
        return currentDefinition(flowId).toJson();
    }

    private void flushOrConflict(String name) {
        UniqueViolation.flushOrConflict(em, "name", "a process flow named " + name + " exists already (or was changed meanwhile)");
    }

    /** Validates everything at once (400 naming each field) and returns the definition as it will be stored. */
    private FlowDefinition checked(String name, String description, FlowDefinition definition) {
        var errors = new ArrayList<FieldError>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.trim().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        if (description != null && description.length() > 1000) {
            errors.add(new FieldError("description", "must be at most 1000 characters"));
        }
        Function<String, Optional<ConnectionType>> typeOf = n -> connections.findByName(n).map(Connection::getType);
        if (definition == null) {
            errors.add(new FieldError("source", "is required"));
        } else {
            errors.addAll(FlowFit.problems(definition, typeOf));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return FlowFit.normalized(definition, typeOf);
    }
}
