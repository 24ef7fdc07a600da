package io.flowretry.retention.control;

import io.flowretry.platform.control.InLists;
import jakarta.enterprise.context.ApplicationScoped;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Deletes the Jakarta Batch job repository's ended executions of the product's jobs, in batches: on
 * Payara the tables {@code JBATCH*} of {@code jdbc/batch-repository} (domain.xml's
 * batch-runtime-configuration). The product needs nothing from them once a run has ended (a run's
 * counts and read position are in its own row), and Payara never deletes them. Where that data source
 * or those tables do not exist (WildFly keeps its repository in memory) there is nothing to purge.
 * The pool's connections are non-transactional (each statement commits alone), so children go first:
 * an interrupted batch leaves no step without its execution.
 */
@ApplicationScoped
public class JobRepositoryPurge {

    static final String DATA_SOURCE = "jdbc/batch-repository";
    static final String PREFIX = "JBATCH";
    /** The product's jobs (META-INF/batch-jobs); another application's jobs in the repository are left alone. */
    static final List<String> JOBS = List.of("resync-bucket", "execute-flow");
    static final List<String> ENDED = List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

    private static final Logger LOG = Logger.getLogger(JobRepositoryPurge.class.getName());

    private volatile boolean absentLogged;

    /** The job repository's data source when it holds Payara's tables; empty elsewhere (WildFly). */
    Optional<DataSource> repository() {
        try {
            if (new InitialContext().lookup(DATA_SOURCE) instanceof DataSource ds && hasTables(ds)) {
                return Optional.of(ds);
            }
        } catch (NamingException | SQLException e) {
            // no such data source here: the repository is elsewhere (in memory on WildFly)
        }
        if (!absentLogged) {
            absentLogged = true;
            LOG.info(() -> "Retention: no Jakarta Batch job repository tables " + PREFIX + "* in " + DATA_SOURCE
                    + " on this server; old job executions are not purged here");
        }
        return Optional.empty();
    }

    private static boolean hasTables(DataSource ds) throws SQLException {
        try (var c = ds.getConnection();
             var tables = c.getMetaData().getTables(null, null, PREFIX + "EXECUTIONINSTANCEDATA", null)) {
            return tables.next();
        }
    }

    /**
     * Deletes up to {@code limit} ended executions of the product's jobs that ended before {@code cutoff},
     * their steps and step status, and then the job instances left without executions (with their
     * checkpoints and status). Returns the executions deleted.
     */
    public long executions(DataSource repository, Instant cutoff, int limit) throws SQLException {
        try (var c = repository.getConnection()) {
            List<Long> executions;
            try (var s = c.prepareStatement("select e.jobexecid from " + PREFIX + "EXECUTIONINSTANCEDATA e"
                    + " join " + PREFIX + "JOBINSTANCEDATA i on i.jobinstanceid = e.jobinstanceid"
                    + " where e.endtime < ? and e.batchstatus in (" + InLists.marks(ENDED.size()) + ")"
                    + " and i.name in (" + InLists.marks(JOBS.size()) + ") order by e.jobexecid fetch first " + limit + " rows only")) {
                int i = 1;
                s.setTimestamp(i++, Timestamp.from(cutoff));
                for (var status : ENDED) {
                    s.setString(i++, status);
                }
                for (var job : JOBS) {
                    s.setString(i++, job);
                }
                executions = RetentionBatches.longs(s);
            }
            if (executions.isEmpty()) {
                return 0;
            }
            var instances = select(c, "select distinct jobinstanceid from " + PREFIX + "EXECUTIONINSTANCEDATA where jobexecid in (", executions);
            var steps = select(c, "select stepexecid from " + PREFIX + "STEPEXECUTIONINSTANCEDATA where jobexecid in (", executions);
            RetentionBatches.deleteIn(c, "delete from " + PREFIX + "STEPSTATUS where id in (", steps);
            RetentionBatches.deleteIn(c, "delete from " + PREFIX + "STEPEXECUTIONINSTANCEDATA where jobexecid in (", executions);
            long deleted = RetentionBatches.deleteIn(c, "delete from " + PREFIX + "EXECUTIONINSTANCEDATA where jobexecid in (", executions);
            var orphans = select(c, "select i.jobinstanceid from " + PREFIX + "JOBINSTANCEDATA i where not exists (select 1 from "
                    + PREFIX + "EXECUTIONINSTANCEDATA e where e.jobinstanceid = i.jobinstanceid) and i.jobinstanceid in (", instances);
            for (long instance : orphans) {
                // checkpoint ids are "INSTANCE,STEP,READER|WRITER"
                try (var s = c.prepareStatement("delete from " + PREFIX + "CHECKPOINTDATA where id like ?")) {
                    s.setString(1, instance + ",%");
                    s.executeUpdate();
                }
            }
            RetentionBatches.deleteIn(c, "delete from " + PREFIX + "JOBSTATUS where id in (", orphans);
            RetentionBatches.deleteIn(c, "delete from " + PREFIX + "JOBINSTANCEDATA where jobinstanceid in (", orphans);
            return deleted;
        }
    }

    private static List<Long> select(Connection c, String selectIn, List<Long> ids) throws SQLException {
        var result = new ArrayList<Long>();
        for (var slice : InLists.slices(ids, InLists.MAX)) {
            try (var s = c.prepareStatement(selectIn + InLists.marks(slice.size()) + ")")) {
                RetentionBatches.bind(s, slice);
                result.addAll(RetentionBatches.longs(s));
            }
        }
        return result;
    }
}
