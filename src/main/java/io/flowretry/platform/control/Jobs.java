package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The one place that starts and stops batch jobs, and knows which runs' jobs run on this server.
 * <p>
 * Every job starts on a task of the default {@link ManagedExecutorService}, never on the caller's
 * thread (a request, an EJB timer, a sweep), so every start hands the batch runtime the same plain
 * component context of the application. This alone did not cure the container race seen with
 * starts at the same instant ("Lookup of java:comp/UserTransaction not allowed for Container
 * managed Transaction beans" at the first step, on the batch runtime's own thread; seen once in
 * RetryEngineIT on PostgreSQL): the resync job's listener leaves such a run, which did nothing, to
 * the next sweep's takeover.
 * <p>
 * A run is known by the job parameter naming it ({@code runId} or {@code executionId}) and its id;
 * it is <em>local</em> from its start until its job ends (or this server finds its job no longer
 * running): the sweeps renew the heartbeat of local runs and take over only the others.
 */
@ApplicationScoped
public class Jobs {

    private static final Set<BatchStatus> RUNNING = EnumSet.of(BatchStatus.STARTING, BatchStatus.STARTED, BatchStatus.STOPPING);

    private record Key(String parameter, long id) {
    }

    @Resource
    ManagedExecutorService executor;

    /** The job execution (in this server's repository) of each local run; 0 while it is being started. */
    private final Map<Key, Long> local = new ConcurrentHashMap<>();

    /**
     * Starts {@code job} for the run {@code parameter}={@code id} (the parameter is added to
     * {@code parameters}) and returns its job execution id. The run is local from now on.
     */
    public long start(String job, String parameter, long id, Properties parameters) {
        var key = new Key(parameter, id);
        parameters.setProperty(parameter, String.valueOf(id));
        local.put(key, 0L);
        try {
            long execution = executor.submit(() -> BatchRuntime.getJobOperator().start(job, parameters)).get();
            local.replace(key, 0L, execution);
            return execution;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            local.remove(key);
            throw new IllegalStateException("interrupted while starting " + job, e);
        } catch (ExecutionException e) {
            local.remove(key);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            local.remove(key);
            throw e;
        }
    }

    /** The run's job has ended on this server (its job listener says so). */
    public void ended(String parameter, long id) {
        local.remove(new Key(parameter, id));
    }

    /**
     * The ids of the runs whose jobs run on this server now. A run whose job this server's
     * repository shows ended (it failed before its listener ran) stops being local here.
     */
    public Set<Long> local(String parameter) {
        var operator = BatchRuntime.getJobOperator();
        local.entrySet().removeIf(e -> e.getValue() > 0 && !running(operator, e.getValue()));
        return local.keySet().stream().filter(k -> k.parameter().equals(parameter)).map(Key::id).collect(Collectors.toUnmodifiableSet());
    }

    public boolean isLocal(String parameter, long id) {
        return local(parameter).contains(id);
    }

    /**
     * Asks the local run's job to stop after its current chunk. False when its job is not running
     * on this server (any more): the caller ends the run itself.
     */
    public boolean stop(String parameter, long id) {
        var execution = local.get(new Key(parameter, id));
        if (execution == null || execution == 0L) {
            return false;
        }
        try {
            BatchRuntime.getJobOperator().stop(execution);
            return true;
        } catch (JobExecutionNotRunningException | NoSuchJobExecutionException e) {
            local.remove(new Key(parameter, id));
            return false;
        }
    }

    /** The local run's job execution id, if it runs here. */
    public Optional<Long> execution(String parameter, long id) {
        return Optional.ofNullable(local.get(new Key(parameter, id))).filter(e -> e > 0);
    }

    private static boolean running(jakarta.batch.operations.JobOperator operator, long execution) {
        try {
            return RUNNING.contains(operator.getJobExecution(execution).getBatchStatus());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
