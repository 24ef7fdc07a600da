package io.flowretry.environments.boundary;

import io.flowretry.environments.control.AgentRegistry;
import io.flowretry.environments.entity.Agent;
import io.flowretry.environments.entity.Duty;
import io.flowretry.environments.entity.AgentAttachment;
import io.flowretry.environments.entity.AgentState;
import io.flowretry.environments.entity.Environment;
import io.flowretry.platform.control.RunLease;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.Validation;
import io.flowretry.environments.control.EnvironmentChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Creates, finds and changes environments, and says which agents serve them: an environment's
 * flows run only while it is active and has a CONNECTED attached agent ({@link #health}).
 */
@ApplicationScoped
@Transactional
public class Environments {

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Event<EnvironmentChanged> changed;

    @Inject
    AgentRegistry registry;

    @Inject
    RunLease lease;

    /** How an environment is served now: its agents' counts, and whether its flows may run (else why not). */
    public record AgentHealth(int connected, int disconnected, int detached, boolean runnable, String reason) {
    }

    /** One agent, its state (DISCONNECTED by its heartbeat, DETACHED when attached to no environment) and its environments. */
    public record AgentStatus(Agent agent, AgentState state, Map<Environment, Boolean> attached) {
    }

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

    public AgentHealth health(long environmentId) {
        return health(get(environmentId), agentsNow(), explicit());
    }

    /** Every environment's health, read at once (the environments list). */
    public Map<Long, AgentHealth> health() {
        var agents = agentsNow();
        var explicit = explicit();
        return list().stream().collect(Collectors.toMap(Environment::getId, e -> health(e, agents, explicit)));
    }

    /** This server's agent id. */
    public long agentId() {
        return registry.agentId();
    }

    /** Whether this server's agent is attached to the environment. */
    public boolean servedHere(long environmentId) {
        var environment = get(environmentId);
        var here = em.find(Agent.class, registry.agentId());
        return here != null && here.attachedTo(environment.getName(), Optional.ofNullable(explicit().get(key(here.getId(), environmentId))));
    }

    /** What this agent does with the environment's work now ({@link Duty}): run it, leave it to the attached agents, or refuse it. */
    public Duty duty(long environmentId) {
        return Duty.of(health(environmentId).runnable(), servedHere(environmentId));
    }

    public List<AgentStatus> agents() {
        var environments = list();
        var explicit = explicit();
        var now = clock.instant();
        return agentsNow().stream().map(agent -> {
            var attached = new java.util.LinkedHashMap<Environment, Boolean>();
            environments.forEach(e -> attached.put(e, agent.attachedTo(e.getName(), Optional.ofNullable(explicit.get(key(agent.getId(), e.getId()))))));
            var state = connection(agent, now);
            return new AgentStatus(agent, state == AgentState.CONNECTED && !attached.containsValue(true) ? AgentState.DETACHED : state, attached);
        }).toList();
    }

    public Agent getAgent(long agentId) {
        return Optional.ofNullable(em.find(Agent.class, agentId)).orElseThrow(() -> new NotFoundException("agent", agentId));
    }

    /** An admin attaches ({@code attached}) or detaches an agent; every agent re-reads its timers. */
    public AgentStatus attach(long environmentId, long agentId, boolean attached) {
        get(environmentId);
        getAgent(agentId);
        var row = em.createNamedQuery(AgentAttachment.OF, AgentAttachment.class).setParameter("agent", agentId)
                .setParameter("environment", environmentId).getResultStream().findFirst();
        row.ifPresentOrElse(a -> a.setAttached(attached), () -> em.persist(new AgentAttachment(agentId, environmentId, attached)));
        em.flush();
        changed.fire(new EnvironmentChanged(environmentId)); // the timers re-arm, here and (through FleetState) on every agent
        return agents().stream().filter(a -> a.agent().getId() == agentId).findFirst().orElseThrow();
    }

    private AgentHealth health(Environment environment, List<Agent> agents, Map<String, Boolean> explicit) {
        var now = clock.instant();
        int connected = 0, disconnected = 0, detached = 0;
        for (var agent : agents) {
            boolean attached = agent.attachedTo(environment.getName(), Optional.ofNullable(explicit.get(key(agent.getId(), environment.getId()))));
            switch (attached ? connection(agent, now) : AgentState.DETACHED) {
                case CONNECTED -> connected++;
                case DISCONNECTED -> disconnected++;
                case DETACHED -> detached++;
            }
        }
        String reason = !environment.isActive() ? "environment " + environment.getName() + " is inactive"
                : connected == 0 ? "no connected agent in " + environment.getName() : null;
        return new AgentHealth(connected, disconnected, detached, reason == null, reason);
    }

    /** This server's own agent is connected whatever its last heartbeat says (a moved test clock): it is running. */
    private AgentState connection(Agent agent, Instant now) {
        return agent.getId() == registry.agentId() ? AgentState.CONNECTED : agent.connection(now, lease.duration());
    }

    private List<Agent> agentsNow() {
        return em.createNamedQuery(Agent.ALL, Agent.class).getResultList();
    }

    private Map<String, Boolean> explicit() {
        return em.createNamedQuery(AgentAttachment.ALL, AgentAttachment.class).getResultStream()
                .collect(Collectors.toMap(a -> key(a.getAgentId(), a.getEnvironmentId()), AgentAttachment::isAttached));
    }

    private static String key(long agentId, long environmentId) {
        return agentId + "/" + environmentId;
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
