package io.flowretry.platform.control;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.function.Supplier;

/**
 * The door through which batch artifacts (readers, writers, listeners) call the application's
 * {@code @Transactional} beans: each call runs on an EJB invocation of its own, joining the
 * transaction that is there (a chunk's), if any; the beans' own transaction types apply inside.
 * <p>
 * Why: Jakarta Batch drives its chunk transactions with a bare {@code UserTransaction}, which
 * Payara/GlassFish refuse ("Operation not allowed") when the thread's invocation is marked as
 * inside {@code @Transactional}. Their CDI transaction interceptor saves and restores that mark
 * in an unsynchronized field shared by every thread calling the same bean, so a timer or request
 * thread calling the bean at the same moment could leave the batch thread marked, and its next
 * chunk commit failed (seen in RetryEngineIT on PostgreSQL). On an EJB invocation the interceptor
 * marks that invocation only, which ends with the call. Portable: plain EJB, nothing Payara's.
 * <p>
 * The chunks' own calls ({@code BucketClaims}, {@code BucketRecorder}, {@code RunStore#record},
 * {@code ExecutionRecords#count}: the stores' hot-path statements) carry no transaction interceptor at all and are called directly, saving an EJB invocation per
 * call on the hot path; {@link ChunkTransaction} checks that they run in a transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class BatchCalls {

    public void run(Runnable work) {
        work.run();
    }

    public <T> T get(Supplier<T> work) {
        return work.get();
    }
}
