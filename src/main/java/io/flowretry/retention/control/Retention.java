package io.flowretry.retention.control;

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

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies retention every {@code FLOWRETRY_RETENTION_EVERY_MINUTES} (a non-persistent interval timer:
 * nothing to lose on a restart), and on demand ({@code POST /api/retention}). Deployment by
 * deployment, batch by batch, each batch committed on its own. Several servers may run it at once:
 * a row deleted by one is simply not found by the other. Ages are measured with the application's
 * clock, the one that stamped the rows.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class.getName());

    /** What one pass deleted, and the ages it deleted before. */
    public record Pass(Instant resolvedBefore, Instant snapshotsBefore, long bucketItems, long attempts, long runItems,
                       long executions, long jobExecutions) {
    }

    @Resource
    TimerService timers;

    @Inject
    RetentionBatches batches;

    @Inject
    JobRepositoryPurge jobRepository;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RETENTION_RESOLVED_DAYS", defaultValue = "30")
    int resolvedDays;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RETENTION_SNAPSHOT_DAYS", defaultValue = "90")
    int snapshotDays;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RETENTION_EVERY_MINUTES", defaultValue = "60")
    int everyMinutes;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_RETENTION_BATCH", defaultValue = "500")
    int batch;

    private final ReentrantLock running = new ReentrantLock();

    @PostConstruct
    void schedule() {
        long every = Duration.ofMinutes(Math.max(1, everyMinutes)).toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig("retention", false));
    }

    @Timeout
    void onTimer() {
        try {
            run().filter(pass -> pass.bucketItems() + pass.runItems() + pass.executions() + pass.jobExecutions() > 0)
                    .ifPresent(pass -> LOG.info(() -> "Retention: " + pass));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Retention failed; the next pass tries again", e);
        }
    }

    /** One pass over every deployment; empty when a pass is running on this server already. */
    public Optional<Pass> run() {
        if (!running.tryLock()) {
            return Optional.empty();
        }
        try {
            var now = clock.instant();
            var resolvedBefore = now.minus(Duration.ofDays(resolvedDays));
            var snapshotsBefore = now.minus(Duration.ofDays(snapshotDays));
            int size = Math.max(1, Math.min(batch, 10_000));
            long items = 0;
            long attempts = 0;
            long runItems = 0;
            long executions = 0;
            for (long deployment : batches.deployments()) {
                for (var state : RetentionBatches.DELETABLE_STATES) {
                    long[] deleted;
                    do {
                        deleted = batches.resolvedItems(deployment, state, resolvedBefore, size);
                        items += deleted[0];
                        attempts += deleted[1];
                    } while (deleted[0] > 0);
                }
                for (long run : batches.runsWithItemsBefore(deployment, snapshotsBefore)) {
                    long deleted;
                    do {
                        deleted = batches.runItems(run, size);
                        runItems += deleted;
                    } while (deleted == size);
                }
                long deleted;
                do {
                    deleted = batches.executions(deployment, snapshotsBefore, size);
                    executions += deleted;
                } while (deleted == size);
            }
            long jobExecutions = 0;
            var repository = jobRepository.repository();
            if (repository.isPresent()) {
                long deleted;
                do {
                    deleted = jobRepository.executions(repository.get(), snapshotsBefore, size);
                    jobExecutions += deleted;
                } while (deleted == size);
            }
            return Optional.of(new Pass(resolvedBefore, snapshotsBefore, items, attempts, runItems, executions, jobExecutions));
        } catch (SQLException e) {
            throw new IllegalStateException("retention: " + e.getMessage(), e);
        } finally {
            running.unlock();
        }
    }
}
