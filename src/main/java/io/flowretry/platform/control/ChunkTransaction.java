package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the hot path's calls ({@code BucketClaims}, {@code BucketRecorder}, {@code RunStore#record},
 * {@code ExecutionRecords#count}) reach
 * the database: the connection of the chunk's transaction, after checking that there is one, instead
 * of {@code @Transactional(MANDATORY)}. They run on batch threads, where a CDI transaction
 * interceptor is a hazard (see {@link BatchCalls}) and an EJB invocation per call a cost.
 */
@ApplicationScoped
public class ChunkTransaction {

    @Resource
    TransactionSynchronizationRegistry registry;

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    /** The application database's connection enlisted in the active transaction; throws unless one is active. */
    public Connection connection(String what) throws SQLException {
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(what + " must run in a chunk's transaction");
        }
        return dataSource.getConnection();
    }
}
