package io.flowretry.connectors.control;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> granted = new ArrayList<>();

    private TokenBucket bucket(double perSecond) {
        return new TokenBucket(perSecond, now::get, now::addAndGet);
    }

    private void acquire(TokenBucket bucket) throws InterruptedException {
        bucket.acquire();
        granted.add(now.get());
    }

    @Test
    void permits_are_one_interval_apart_and_an_idle_bucket_saves_no_burst() throws Exception {
        var bucket = bucket(4); // one every 250 ms
        acquire(bucket);
        acquire(bucket);
        acquire(bucket);
        assertEquals(List.of(1_000_000_000L, 1_250_000_000L, 1_500_000_000L), granted);
        now.addAndGet(60_000_000_000L);
        granted.clear();
        acquire(bucket);
        acquire(bucket);
        assertEquals(250_000_000L, granted.get(1) - granted.get(0), "after a long pause one at once, the next waits: no burst saved");
    }

    @Test
    void the_interval_counts_from_the_last_grant_so_a_late_caller_does_not_bunch_with_the_next() throws Exception {
        var bucket = bucket(10);
        acquire(bucket);
        now.addAndGet(130_000_000L); // the next caller comes 130 ms later
        acquire(bucket);
        acquire(bucket);
        assertEquals(List.of(1_000_000_000L, 1_130_000_000L, 1_230_000_000L), granted);
    }

    @Test
    void over_any_window_at_most_the_rate_plus_one() throws Exception {
        var bucket = bucket(10);
        for (int i = 0; i < 100; i++) {
            acquire(bucket);
            now.addAndGet(1_000_000L); // callers come every millisecond, far faster than the rate
        }
        for (int i = 0; i < granted.size(); i++) {
            int j = i;
            while (j < granted.size() && granted.get(j) - granted.get(i) < 1_000_000_000L) {
                j++;
            }
            assertEquals(true, j - i <= 10, "at most 10 in the second from grant " + i);
        }
    }

    @Test
    void the_rate_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> bucket(0));
        assertThrows(IllegalArgumentException.class, () -> bucket(Double.NaN));
    }
}
