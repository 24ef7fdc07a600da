package io.flowretry.alerts.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every {@code FLOWRETRY_ALERT_SWEEP_SECONDS} (30): retries due deliveries and checks bucket depths. */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AlertSweep {

    private static final Logger LOG = Logger.getLogger(AlertSweep.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Alerter alerter;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_ALERT_SWEEP_SECONDS", defaultValue = "30")
    int seconds;

    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void schedule() {
        long every = Math.max(1, seconds) * 1000L;
        timers.createIntervalTimer(every, every, new TimerConfig("alert-sweep", false));
    }

    @Timeout
    void onTimer() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            alerter.sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Alert sweep failed; the next one tries again", e);
        } finally {
            running.set(false);
        }
    }
}
