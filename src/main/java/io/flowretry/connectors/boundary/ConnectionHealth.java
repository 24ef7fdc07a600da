package io.flowretry.connectors.boundary;

import io.flowretry.connectors.control.Breaker;
import io.flowretry.connectors.control.ConnectionDetails;
import io.flowretry.connectors.control.Probe;
import io.flowretry.connectors.entity.AppHealth;
import io.flowretry.platform.control.RunSweeps;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import java.util.Collection;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connections' health as the API, the console and the slots see it, and the probes of DOWN
 * apps: every sweep of every server ({@link RunSweeps}, before the retry runs' sweep resumes the
 * paused runs) probes the DOWN apps whose probe is due, one server per probe (claimed in the
 * database). Not transactional: a probe waits on the network, outside any transaction.
 */
@ApplicationScoped
public class ConnectionHealth {

    private static final Logger LOG = Logger.getLogger(ConnectionHealth.class.getName());

    @Inject
    Connections connections;

    @Inject
    Breaker breaker;

    @Inject
    Probe probe;

    /** A DOWN app of a flow: its name, since when, and the reason its runs pause ("ERP unreachable: connection refused"). */
    public record Outage(String name, java.time.Instant since, String reason) {
    }

    /** A "Test connection": whether the app answered, how fast, and if not, why (absent when it answered). */
    public record Tested(boolean ok, long latencyMs, String error) {
    }

    /** @throws io.flowretry.kernel.NotFoundException for an unknown connection */
    public AppHealth status(long connectionId) {
        connections.get(connectionId);
        return breaker.status(connectionId);
    }

    /** "Test connection": the probe, now; an app that answers is UP again (its paused runs resume). */
    public Tested test(long connectionId) {
        var result = probe.test(ConnectionDetails.of(connections.get(connectionId)));
        breaker.probed(connectionId, result);
        return new Tested(result.ok(), result.latencyMs(), result.error());
    }

    /** The first DOWN app among these connection names (a flow's), with the reason its runs pause. */
    public Optional<Outage> firstDown(Collection<String> names) {
        return breaker.firstDown(names).map(d -> new Outage(d.name(), d.since(), d.reason()));
    }

    void sweep(@Observes @Priority(Interceptor.Priority.APPLICATION) RunSweeps.SweepDue due) {
        for (long id : breaker.dueProbes()) {
            try {
                if (breaker.claimProbe(id)) {
                    var health = breaker.probed(id, probe.test(ConnectionDetails.of(connections.get(id))));
                    LOG.info(() -> "Probed connection " + id + ": " + health.getState()
                            + (health.isDown() ? " (" + health.getLastError() + "), next probe at " + health.getNextProbeAt() : ""));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Probing connection " + id + " failed; the next sweep tries again", e);
            }
        }
    }
}
