package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.AppHealth;
import io.flowretry.connectors.entity.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connections' circuit breakers ({@link AppHealth}, one row per app, the only SQL of
 * {@code connection_health}): what the runs observed of an app, the probes of DOWN apps, the state
 * read by the API, the slots, the console and the metrics. Every change locks the app's row in a
 * transaction of its own, so runs and servers counting failures of one app at once add up. Settings:
 * {@code FLOWRETRY_BREAKER_FAILURES} (TRANSIENT failures in a row that put an app DOWN, default 5),
 * {@code FLOWRETRY_PROBE_FIRST_SECONDS} (60) and {@code FLOWRETRY_PROBE_MAX_SECONDS} (900): the
 * probes' back-off, doubling from the first to the longest.
 */
@ApplicationScoped
@Transactional
public class Breaker {

    /** What a run saw of an app for one record, in the order of the records. */
    public record Signal(Kind kind, String error, Duration retryAfter) {
        public enum Kind { ANSWERED, UNREACHABLE, BACKOFF }

        public static final Signal ANSWERED = new Signal(Kind.ANSWERED, null, null);

        /** A TRANSIENT failure: a back-off when its text carries a {@code Retry-After}. */
        public static Signal failed(String error) {
            return HttpFailures.retryAfter(error).map(d -> new Signal(Kind.BACKOFF, error, d))
                    .orElseGet(() -> new Signal(Kind.UNREACHABLE, error, null));
        }
    }

    /** A DOWN app: why, and since when. */
    public record Down(long connectionId, String name, Instant since, String lastError) {
        /** "ERP unreachable: connection refused": a run's or a slot's reason. */
        public String reason() {
            return Breaker.reason(name, lastError);
        }
    }

    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP \\d{3}");

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Event<ConnectionWentDown> wentDown;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_BREAKER_FAILURES", defaultValue = "5")
    int threshold;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_PROBE_FIRST_SECONDS", defaultValue = "60")
    int firstProbeSeconds;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_PROBE_MAX_SECONDS", defaultValue = "900")
    int maxProbeSeconds;

    /** The app's breaker; a connection never seen failing is UP (since and checked unknown). */
    public AppHealth status(long connectionId) {
        return Optional.ofNullable(em.find(AppHealth.class, connectionId)).orElseGet(() -> new AppHealth(connectionId, null));
    }

    /** The first DOWN app among the connections named so (a flow's source and destination). */
    public Optional<Down> firstDown(Collection<String> names) {
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return em.createQuery("select c.id, c.name, h.since, h.lastError from AppHealth h, Connection c"
                        + " where h.connectionId = c.id and h.state = :down and c.name in :names order by c.name", Object[].class)
                .setParameter("down", AppHealth.State.DOWN).setParameter("names", names).setMaxResults(1)
                .getResultStream().findFirst()
                .map(r -> new Down(((Number) r[0]).longValue(), (String) r[1], (Instant) r[2], (String) r[3]));
    }

    /**
     * Applies what a chunk saw of the app named {@code name}, in order, and returns its breaker
     * after; an app that goes DOWN here fires {@link ConnectionWentDown}. Empty for an unknown name.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<AppHealth> observe(String name, List<Signal> signals) {
        var connection = em.createNamedQuery(Connection.BY_NAME, Connection.class).setParameter("name", name)
                .getResultStream().findFirst();
        if (connection.isEmpty() || signals.isEmpty()) {
            return connection.map(c -> status(c.getId()));
        }
        var now = clock.instant();
        var health = locked(connection.get().getId(), now);
        boolean wasDown = health.isDown();
        for (var signal : signals) {
            switch (signal.kind()) {
                case ANSWERED -> health.answered(now);
                case UNREACHABLE -> health.unreachable(signal.error(), now, threshold, Duration.ofSeconds(firstProbeSeconds));
                case BACKOFF -> health.backedOff(signal.error(), now, signal.retryAfter());
            }
        }
        if (!wasDown && health.isDown()) {
            wentDown.fire(new ConnectionWentDown(health.getConnectionId(), name, reason(name, health.getLastError())));
        }
        return Optional.of(health);
    }

    /** The DOWN apps whose probe is due now. */
    public List<Long> dueProbes() {
        return em.createQuery("select h.connectionId from AppHealth h where h.state = :down and h.nextProbeAt <= :now order by h.connectionId", Long.class)
                .setParameter("down", AppHealth.State.DOWN).setParameter("now", clock.instant()).getResultList();
    }

    /**
     * Claims the app's due probe (one server probes, the others find it not due): the next one is
     * put off by the current delay until {@link #probed} says how it went. False when not due.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claimProbe(long connectionId) {
        var now = clock.instant();
        var health = em.find(AppHealth.class, connectionId, LockModeType.PESSIMISTIC_WRITE);
        if (health == null || !health.probeDue(now)) {
            return false;
        }
        health.probing(now);
        return true;
    }

    /**
     * A probe's (or a "Test connection"'s) result: an answer puts a DOWN app UP; a failed probe of a
     * DOWN app backs it off further. A failed test of an UP app changes nothing (one failure is no outage).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AppHealth probed(long connectionId, Probe.Result result) {
        var now = clock.instant();
        var health = em.find(AppHealth.class, connectionId, LockModeType.PESSIMISTIC_WRITE);
        if (health == null || !health.isDown()) {
            return status(connectionId);
        }
        if (result.ok()) {
            health.answered(now);
        } else {
            health.probeFailed(result.error(), now, Duration.ofSeconds(Math.max(firstProbeSeconds, maxProbeSeconds)));
        }
        return health;
    }

    /** Every connection's name and whether it is UP (the metrics' gauge). */
    public Map<String, Boolean> upByName() {
        var down = em.createQuery("select c.name from AppHealth h, Connection c where h.connectionId = c.id and h.state = :down", String.class)
                .setParameter("down", AppHealth.State.DOWN).getResultList();
        var result = new LinkedHashMap<String, Boolean>();
        em.createNamedQuery(Connection.ALL, Connection.class).getResultList().forEach(c -> result.put(c.getName(), !down.contains(c.getName())));
        return result;
    }

    /** The app's row, locked; created (UP) when the app has none. */
    private AppHealth locked(long connectionId, Instant now) {
        var health = em.find(AppHealth.class, connectionId, LockModeType.PESSIMISTIC_WRITE);
        if (health == null) {
            health = new AppHealth(connectionId, now);
            em.persist(health);
            em.flush();
        }
        return health;
    }

    /** "ERP unreachable: connection refused" (or "timed out", "HTTP 503", else the error's text). */
    public static String reason(String name, String lastError) {
        String error = lastError == null ? "" : lastError;
        String cause = error.contains("refused") ? "connection refused"
                : error.contains("timed out") || error.contains("timeout") ? "timed out"
                : HTTP_STATUS.matcher(error).find() ? error.substring(error.indexOf("HTTP "), error.indexOf("HTTP ") + 8)
                + HttpFailures.retryAfter(error).map(d -> " (Retry-After " + d.toSeconds() + " s)").orElse("")
                : error.isBlank() ? "no answer" : error.length() > 200 ? error.substring(0, 200) : error;
        return name + " unreachable: " + cause;
    }
}
