package io.flowretry.environments.control;

import io.flowretry.environments.entity.Agent;
import io.flowretry.platform.control.ClockMoved;
import io.flowretry.platform.control.ProductVersion;
import io.flowretry.platform.control.RunLease;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This server as an agent: registered (or re-registered by its name) in the database at start,
 * then a heartbeat every {@code FLOWRETRY_AGENT_HEARTBEAT_SECONDS} (default 5, at most a third of
 * the run lease so a live agent never looks DISCONNECTED), and at once when the test clock moves.
 * Name: {@code FLOWRETRY_AGENT_NAME}, else host name + ":" + {@code HTTP_PORT} (8080); it must be
 * unique in the fleet. {@code FLOWRETRY_AGENT_ENVIRONMENTS} (comma-separated names) limits the
 * environments it attaches to by default.
 */
@Singleton
@Startup
@DependsOn("Migrations") // not also FleetWatch: Payara 7 reported a false "Cyclic dependency" with chains three singletons deep
public class AgentRegistry {

    private static final Logger LOG = Logger.getLogger(AgentRegistry.class.getName());

    @PersistenceContext
    EntityManager em;

    @Resource
    TimerService timers;

    @Inject
    Clock clock;

    @Inject
    RunLease lease;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_AGENT_NAME")
    Optional<String> configuredName;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_AGENT_ENVIRONMENTS")
    Optional<String> environmentLimit;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_AGENT_HEARTBEAT_SECONDS", defaultValue = "5")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "HTTP_PORT", defaultValue = "8080")
    String httpPort;

    private volatile long agentId;

    @PostConstruct
    void register() {
        var host = host();
        var name = configuredName.filter(n -> !n.isBlank()).map(String::trim).orElse(host + ":" + httpPort);
        var now = clock.instant();
        var limit = environmentLimit.orElse(null);
        var agent = em.createNamedQuery(Agent.BY_NAME, Agent.class).setParameter("name", name).getResultStream().findFirst()
                .orElse(null);
        if (agent == null) {
            agent = new Agent(name, host, ProductVersion.get(), limit, now);
            em.persist(agent);
            em.flush();
        } else {
            agent.started(host, ProductVersion.get(), limit, now);
        }
        agentId = agent.getId();
        long every = Math.max(1000, Math.min(heartbeatSeconds * 1000L, lease.duration().toMillis() / 3));
        timers.createIntervalTimer(every, every, new TimerConfig("agent heartbeat", false));
        LOG.info("Agent " + name + " (id " + agentId + ") registered; heartbeat every " + every + " ms");
    }

    /** This server's agent id. */
    public long agentId() {
        return agentId;
    }

    @Timeout
    void heartbeat() {
        beat(clock.instant());
    }

    /** The clock moved: a heartbeat on the new "now", or this agent would look DISCONNECTED until the next one. */
    public void clockMoved(@Observes ClockMoved moved) {
        beat(clock.instant());
    }

    private void beat(Instant now) {
        try {
            em.createQuery("update Agent a set a.lastHeartbeatAt = :now where a.id = :id")
                    .setParameter("now", now).setParameter("id", agentId).executeUpdate();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Agent heartbeat failed; the next one tries again", e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
