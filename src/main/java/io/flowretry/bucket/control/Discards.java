package io.flowretry.bucket.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;

/**
 * An operator's discard, one transaction per call: at most one page of items (the API pages a
 * filter through {@link BucketQueries#slice} and calls this per page), so no discard of a million
 * records holds a million row locks.
 */
@ApplicationScoped
public class Discards {

    /** Items discarded per transaction when discarding a filter. */
    public static final int PAGE = 500;

    @Inject
    BucketRecorder recorder;

    @Inject
    Clock clock;

    /** Discards the deployment's FAILED items among {@code itemIds} ({@link BucketRecorder#discard}); how many. */
    @Transactional
    public int discard(long deploymentId, List<Long> itemIds, String user, String reason) {
        return recorder.discard(deploymentId, itemIds, clock.instant(), user, reason);
    }
}
