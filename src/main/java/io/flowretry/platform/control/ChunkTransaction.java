package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The check the hot path's beans make instead of {@code @Transactional(MANDATORY)}: they run on
 * batch threads inside the chunk's transaction, where a CDI transaction interceptor is a hazard
 * (see {@link BatchCalls}) and an EJB invocation per call a cost.
 */
@ApplicationScoped
public class ChunkTransaction {

    @Resource
    TransactionSynchronizationRegistry registry;

    /** Throws unless a transaction is active on this thread. */
    public void require(String what) {
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(what + " must run in a chunk's transaction");
        }
    }
}
