package io.flowretry.executions.boundary;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.executions.control.ExecutionRecords;
import io.flowretry.executions.entity.Execution;
import io.flowretry.executions.entity.ExecutionStatus;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Duty;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.platform.control.FleetPolled;
import io.flowretry.platform.control.JobExecutions;
import io.flowretry.platform.control.Jobs;
import io.flowretry.platform.control.RunLease;
import io.flowretry.platform.control.RunSweeps;
import io.flowretry.executions.control.ExecutionJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import jakarta.persistence.PersistenceException;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts and reads main runs. A run starts only for a deployed flow in a runnable environment,
 * and only while no other execution of the deployment runs (else 409, nothing stored); its job runs
 * on an agent attached to the environment ({@link Duty}), and a sync tick runs once in the fleet. The row is
 * committed before the {@code execute-flow} job starts, so the job always finds it; the job's
 * counts, heartbeat and status land in it as it runs.
 */
@ApplicationScoped
public class Executions {

    public static final String JOB = "execute-flow";
    private static final Logger LOG = Logger.getLogger(Executions.class.getName());
    private static final EnumSet<BatchStatus> ENDED_BADLY = EnumSet.of(BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED);

    @Inject
    Deployments deployments;

    @Inject
    ExecutionRecords records;

    @Inject
    RunLease lease;

    @Inject
    Jobs jobs;

    @Inject
    Environments environments;

    @Inject
    Clock clock;

    /**
     * Starts an execution over the API. Through an agent not attached to the deployment's
     * environment the execution is stored unclaimed, and an attached agent claims and runs it at
     * its next fleet poll ({@link #claimUnclaimed}).
     *
     * @param trigger {@link Execution#MANUAL} or {@link Execution#AUTO}
     * @throws io.flowretry.kernel.ConflictException (409) if the deployment is not
     *         runnable or an execution of it is still running
     */
    public Execution start(long deploymentId, String trigger, String startedBy) {
        return start(deploymentId, trigger, startedBy, null);
    }

    /**
     * The sync tick {@code tickAt} of the deployment, fired by this agent's timer: started here
     * unless this agent is not attached to the environment (an attached agent's timer runs it),
     * an execution of the deployment is still running, or another agent ran the tick already.
     *
     * @throws io.flowretry.kernel.ConflictException (409) if the deployment is not runnable
     */
    public Optional<Execution> tick(long deploymentId, Instant tickAt) {
        var deployment = deployments.getRunnable(deploymentId);
        if (environments.duty(deployment.getEnvironmentId()) != Duty.RUN_HERE) {
            return Optional.empty();
        }
        if (records.running(deploymentId, lease.duration()).isPresent()) {
            LOG.info(() -> "Deployment " + deploymentId + " is still running; sync tick " + tickAt + " skipped");
            return Optional.empty();
        }
        try {
            return Optional.of(start(deploymentId, Execution.AUTO, "sync timer", tickAt));
        } catch (ConflictException | PersistenceException taken) {
            LOG.fine(() -> "Sync tick " + tickAt + " of deployment " + deploymentId + " ran on another agent: " + taken.getMessage());
            return Optional.empty();
        }
    }

    private Execution start(long deploymentId, String trigger, String startedBy, Instant tickAt) {
        var deployment = deployments.getRunnable(deploymentId);
        boolean here = environments.duty(deployment.getEnvironmentId()) == Duty.RUN_HERE;
        records.running(deploymentId, lease.duration()).ifPresent(this::get); // a STARTED row whose job ended badly is ended here
        var execution = records.create(deploymentId, trigger, startedBy, deployment.getFlowVersion(), lease.duration(), tickAt,
                here ? environments.agentId() : null);
        if (here) {
            startOrFail(execution.getId(), deployment);
        } else {
            LOG.info(() -> "Execution " + execution.getId() + " is left to the agents attached to its environment");
        }
        return get(execution.getId());
    }

    /**
     * On every fleet poll: claims and runs the executions started through agents not attached to
     * their environments, where this agent is attached (one claim wins of several agents).
     */
    public void claimUnclaimed(@Observes FleetPolled polled) {
        for (Execution waiting : records.unclaimed(clock.instant().minus(lease.duration()))) {
            try {
                var deployment = deployments.getRunnable(waiting.getDeploymentId());
                if (environments.duty(deployment.getEnvironmentId()) == Duty.RUN_HERE && records.claim(waiting.getId(), environments.agentId())) {
                    LOG.info(() -> "Execution " + waiting.getId() + " was started through another agent; claimed and run here");
                    startOrFail(waiting.getId(), deployment);
                }
            } catch (ConflictException cannotRun) {
                records.finish(waiting.getId(), ExecutionStatus.FAILED, "not run: " + cannotRun.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Execution " + waiting.getId() + " could not be claimed; the next poll tries again", e);
            }
        }
    }

    private void startOrFail(long executionId, Deployment deployment) {
        try {
            startJob(executionId, deployment);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Cannot start execution " + executionId + " of deployment " + deployment.getId(), e);
            records.finish(executionId, ExecutionStatus.FAILED, "could not start: " + e.getMessage());
        }
    }

    /** Starts the execution's job with the deployment's settings now; its reader goes on after the stored read position. */
    private void startJob(long executionId, Deployment deployment) {
        var parameters = new Properties();
        parameters.setProperty("deploymentId", String.valueOf(deployment.getId()));
        parameters.setProperty("batchSize", String.valueOf(deployment.getRetry().getBatchSize()));
        parameters.setProperty("timeLapseMinutes", String.valueOf(deployment.getRetry().getTimeLapseMinutes()));
        records.jobStarted(executionId, jobs.start(JOB, ExecutionJobListener.PARAMETER, executionId, parameters));
    }

    /**
     * The execution; a row still STARTED whose job has ended badly (it failed before its listener
     * could finish the row) is reported and stored as FAILED.
     */
    public Execution get(long executionId) {
        var execution = records.find(executionId).orElseThrow(() -> new NotFoundException("execution", executionId));
        if (execution.getStatus() == ExecutionStatus.STARTED && execution.getJobExecutionId() != null && jobEndedBadly(execution)) {
            records.finish(executionId, ExecutionStatus.FAILED, "the batch job ended without finishing; see the server log");
            execution = records.find(executionId).orElseThrow();
        }
        return execution;
    }

    /** A deployment's executions, newest first, at most {@code limit} (as stored: {@link #get} ends a dead one). */
    public List<Execution> list(long deploymentId, int limit) {
        return records.list(deploymentId, limit);
    }

    private boolean jobEndedBadly(Execution execution) {
        // only this server's execution started for this row: another server's (or a purged) one is left alone
        return JobExecutions.own(execution.getJobExecutionId(), "executionId", execution.getId())
                .map(job -> ENDED_BADLY.contains(job.getBatchStatus())).orElse(false);
    }

    /**
     * The sweep of this server (every lease / 2): renews the heartbeat of the executions whose jobs
     * run here, then takes over every execution whose heartbeat expired (its server died) and
     * resumes it after its read position, as a retry run is: at most {@link Execution#MAX_TAKEOVERS}
     * times, then it is ended FAILED with the reason. No operator needed.
     */
    public void sweep(@Observes RunSweeps.SweepDue due) {
        records.renew(jobs.local(ExecutionJobListener.PARAMETER));
        for (Execution dead : records.stale(due.staleBefore())) {
            long id = dead.getId();
            if (jobs.isLocal(ExecutionJobListener.PARAMETER, id) || !attachedHere(dead.getDeploymentId())) {
                continue; // started here after the renewal, or an agent attached to its environment takes it over
            }
            String since = "no heartbeat since " + dead.getHeartbeatAt() + ": its server stopped during the run";
            if (dead.getTakeovers() >= Execution.MAX_TAKEOVERS) {
                records.endDead(id, due.staleBefore(), since + ", and it was taken over " + Execution.MAX_TAKEOVERS
                        + " times already; given up");
            } else if (records.takeOver(id, due.staleBefore(), environments.agentId())) {
                resume(id, dead.getDeploymentId(), since);
            }
        }
    }

    private boolean attachedHere(long deploymentId) {
        // an environment nobody can run: any agent ends its dead executions (the resume then fails them with the reason)
        return deployments.find(deploymentId).map(d -> environments.duty(d.getEnvironmentId()) != Duty.LEAVE_TO_ATTACHED).orElse(true);
    }

    private void resume(long executionId, long deploymentId, String since) {
        try {
            startJob(executionId, deployments.getRunnable(deploymentId));
            LOG.info(() -> "Execution " + executionId + " had " + since + "; taken over by this server, going on from its read position");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Execution " + executionId + " could not be taken over", e);
            records.finish(executionId, ExecutionStatus.FAILED, since + "; not taken over: " + e.getMessage());
        }
    }
}
