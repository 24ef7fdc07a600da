package io.flowretry.platform.control;

import jakarta.annotation.PreDestroy;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The one place that starts and stops batch jobs, and knows which runs' jobs run on this server.
 * <p>
 * Every job starts on one thread of its own, never on the caller's (a request, an EJB timer, a
 * sweep): see {@link #startFromThisThread()} for the container race that this avoids (before the web
 * module is up, on a task of the default {@link ManagedExecutorService}). Should the container still
 * fail a step at its start with nothing done, the job listeners start the job again (a main
 * execution) or leave the run to the next sweep's takeover (a retry run).
 * <p>
 * A run is known by the job parameter naming it ({@code runId} or {@code executionId}) and its id;
 * it is <em>local</em> from its start until its job ends (or this server finds its job no longer
 * running): the sweeps renew the heartbeat of local runs and take over only the others.
 */
@ApplicationScoped
public class Jobs {

    private static final Set<jakarta.batch.runtime.Metric.MetricType> WORK = EnumSet.of(jakarta.batch.runtime.Metric.MetricType.READ_COUNT,
            jakarta.batch.runtime.Metric.MetricType.COMMIT_COUNT, jakarta.batch.runtime.Metric.MetricType.ROLLBACK_COUNT,
            jakarta.batch.runtime.Metric.MetricType.WRITE_COUNT);
    private static final Set<BatchStatus> RUNNING = EnumSet.of(BatchStatus.STARTING, BatchStatus.STARTED, BatchStatus.STOPPING);

    private record Key(String parameter, long id) {
    }

    @Resource
    ManagedExecutorService executor;

    /** The thread every job starts from once the web module is up ({@link #startFromThisThread()}). */
    private volatile ExecutorService starter;

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
            var via = starter != null ? starter : executor;
            long execution = via.submit(() -> BatchRuntime.getJobOperator().start(job, parameters)).get();
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

    /**
     * Makes a thread created now, on the caller's thread, the one every later start goes through.
     * Called once by the web module's start ({@code platform.boundary.JobStarter}): a thread inherits
     * Payara's component invocation stack from the thread that creates it, and so do the executor
     * threads the batch runtime then creates to run jobs. Created under a timer's or a sweep's EJB
     * invocation, they run steps as that EJB, and the container refuses the step's
     * java:comp/UserTransaction ("not allowed for Container managed Transaction beans"). Created here,
     * under the web module, they run steps as the web module.
     */
    public void startFromThisThread() {
        var single = Executors.newSingleThreadExecutor(r -> new Thread(r, "flowretry-job-starter"));
        try {
            single.submit(() -> { }).get(); // the thread is created now, from this thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            single.shutdown();
            return;
        } catch (ExecutionException e) {
            single.shutdown();
            throw new IllegalStateException(e.getCause());
        }
        starter = single;
    }

    @PreDestroy
    void stopStarter() {
        if (starter != null) {
            starter.shutdown();
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

    /**
     * Whether the job execution's steps never got to a chunk (nothing read, committed, rolled back or
     * written): what the container leaves when it fails a step at its start ("Lookup of
     * java:comp/UserTransaction not allowed", a Payara race seen with starts at the same instant).
     */
    public static boolean didNothing(long jobExecution) {
        return BatchRuntime.getJobOperator().getStepExecutions(jobExecution).stream()
                .flatMap(step -> java.util.Arrays.stream(step.getMetrics()))
                .noneMatch(m -> WORK.contains(m.getType()) && m.getValue() > 0);
    }

    /** The job parameters of a job execution of this server, to start the same job again. */
    public static Properties parameters(long jobExecution) {
        var copy = new Properties();
        copy.putAll(BatchRuntime.getJobOperator().getParameters(jobExecution));
        return copy;
    }

    private static boolean running(jakarta.batch.operations.JobOperator operator, long execution) {
        try {
            return RUNNING.contains(operator.getJobExecution(execution).getBatchStatus());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
