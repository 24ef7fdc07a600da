package io.flowretry.retention.control;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Payara's job repository tables (as domain.xml's prefix makes them, read from a server's jbatch file) on H2. */
class JobRepositoryPurgeTest {

    private final JdbcDataSource repository = new JdbcDataSource();
    private final Instant now = Instant.parse("2026-12-02T06:00:00Z");

    @BeforeEach
    void tables() throws SQLException {
        repository.setURL("jdbc:h2:mem:jbatch-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        sql("create table JBATCHJOBINSTANCEDATA (jobinstanceid bigint primary key, name varchar(512), apptag varchar(512))",
                "create table JBATCHEXECUTIONINSTANCEDATA (jobexecid bigint primary key, jobinstanceid bigint references JBATCHJOBINSTANCEDATA,"
                        + " createtime timestamp, starttime timestamp, endtime timestamp, updatetime timestamp, parameters blob,"
                        + " batchstatus varchar(512), exitstatus varchar(512))",
                "create table JBATCHSTEPEXECUTIONINSTANCEDATA (stepexecid bigint primary key, jobexecid bigint references JBATCHEXECUTIONINSTANCEDATA,"
                        + " batchstatus varchar(512), stepname varchar(512))",
                "create table JBATCHCHECKPOINTDATA (id varchar(512), obj blob)",
                "create table JBATCHJOBSTATUS (id bigint primary key, obj blob)",
                "create table JBATCHSTEPSTATUS (id bigint primary key, obj blob)");
    }

    /** Instance {@code instance} of {@code job} with one execution ended {@code daysAgo} (null: still running) and one step. */
    private void job(long instance, String job, long execution, Integer daysAgo, String status) throws SQLException {
        try (var c = repository.getConnection()) {
            if (!exists(c, "select 1 from JBATCHJOBINSTANCEDATA where jobinstanceid = " + instance)) {
                c.createStatement().execute("insert into JBATCHJOBINSTANCEDATA values (" + instance + ", '" + job + "', 'server-config:ROOT_/')");
                c.createStatement().execute("insert into JBATCHJOBSTATUS values (" + instance + ", null)");
                c.createStatement().execute("insert into JBATCHCHECKPOINTDATA values ('" + instance + ",records,READER', null), ('"
                        + instance + ",records,WRITER', null)");
            }
            try (var s = c.prepareStatement("insert into JBATCHEXECUTIONINSTANCEDATA (jobexecid, jobinstanceid, createtime, endtime, batchstatus)"
                    + " values (?, ?, ?, ?, ?)")) {
                s.setLong(1, execution);
                s.setLong(2, instance);
                s.setTimestamp(3, Timestamp.from(now.minus(Duration.ofDays(200))));
                s.setTimestamp(4, daysAgo == null ? null : Timestamp.from(now.minus(Duration.ofDays(daysAgo))));
                s.setString(5, status);
                s.executeUpdate();
            }
            c.createStatement().execute("insert into JBATCHSTEPEXECUTIONINSTANCEDATA values (" + execution * 10 + ", " + execution + ", '" + status + "', 'records')");
            c.createStatement().execute("insert into JBATCHSTEPSTATUS values (" + execution * 10 + ", null)");
        }
    }

    @Test
    void ended_executions_of_the_products_jobs_go_in_batches_with_their_steps_and_their_instances_once_empty() throws SQLException {
        var purge = new JobRepositoryPurge();
        job(1, "resync-bucket", 1, 100, "COMPLETED");
        job(2, "execute-flow", 2, 95, "FAILED");
        job(3, "resync-bucket", 3, 120, "STOPPED");
        job(3, "resync-bucket", 4, 10, "COMPLETED");   // a younger execution of the same instance: the instance stays
        job(5, "resync-bucket", 5, null, "STARTED");  // running
        job(6, "resync-bucket", 6, 5, "COMPLETED");   // too young
        job(7, "someone-elses-job", 7, 300, "COMPLETED");
        var cutoff = now.minus(Duration.ofDays(90));

        assertEquals(2, purge.executions(repository, cutoff, 2));
        assertEquals(1, purge.executions(repository, cutoff, 2));
        assertEquals(0, purge.executions(repository, cutoff, 2));

        assertEquals(List.of(4L, 5L, 6L, 7L), ids("select jobexecid from JBATCHEXECUTIONINSTANCEDATA order by 1"));
        assertEquals(List.of(40L, 50L, 60L, 70L), ids("select stepexecid from JBATCHSTEPEXECUTIONINSTANCEDATA order by 1"));
        assertEquals(List.of(40L, 50L, 60L, 70L), ids("select id from JBATCHSTEPSTATUS order by 1"));
        assertEquals(List.of(3L, 5L, 6L, 7L), ids("select jobinstanceid from JBATCHJOBINSTANCEDATA order by 1"));
        assertEquals(List.of(3L, 5L, 6L, 7L), ids("select id from JBATCHJOBSTATUS order by 1"));
        assertEquals(8, ids("select 1 from JBATCHCHECKPOINTDATA").size(), "instances 1 and 2 lost their two checkpoints");
    }

    private boolean exists(java.sql.Connection c, String sql) throws SQLException {
        try (var rs = c.createStatement().executeQuery(sql)) {
            return rs.next();
        }
    }

    private List<Long> ids(String sql) throws SQLException {
        try (var c = repository.getConnection(); var s = c.prepareStatement(sql)) {
            return RetentionBatches.longs(s);
        }
    }

    private void sql(String... statements) throws SQLException {
        try (var c = repository.getConnection(); var s = c.createStatement()) {
            for (var statement : statements) {
                s.execute(statement);
            }
        }
    }
}
