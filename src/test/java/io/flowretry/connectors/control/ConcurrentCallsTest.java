package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpLimits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConcurrentCallsTest {

    @Test
    void results_keep_the_order_of_the_items_whatever_order_the_calls_end_in() {
        var items = IntStream.range(0, 50).boxed().toList();
        var results = ConcurrentCalls.map(items, i -> {
            sleep((50 - i) % 7);
            return i % 5 == 0 ? "failed " + i : "ok " + i;
        });
        assertEquals(items.stream().map(i -> i % 5 == 0 ? "failed " + i : "ok " + i).toList(), results);
        assertEquals(List.of(), ConcurrentCalls.map(List.<Integer>of(), i -> i));
    }

    @Test
    void the_gate_caps_the_calls_in_flight_at_max_concurrency() throws Exception {
        var gate = new HttpGate(new HttpLimits(3, null, null, null), null);
        var inFlight = new AtomicInteger();
        var peak = new AtomicInteger();
        ConcurrentCalls.map(IntStream.range(0, 30).boxed().toList(), i -> {
            try {
                gate.enter("test");
            } catch (ConnectorException e) {
                throw new IllegalStateException(e);
            }
            try {
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                sleep(20);
                return i;
            } finally {
                inFlight.decrementAndGet();
                gate.release();
            }
        });
        assertEquals(3, peak.get());
    }

    @Test
    void the_gate_holds_its_rate_across_callers() {
        var gate = new HttpGate(new HttpLimits(16, 20.0, null, null), null);
        long start = System.nanoTime();
        ConcurrentCalls.map(IntStream.range(0, 21).boxed().toList(), i -> {
            try {
                gate.enter("test");
            } catch (ConnectorException e) {
                throw new IllegalStateException(e);
            }
            gate.release();
            return i;
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        // 21 starts at 20/s: the last one 1 s after the first
        assertEquals(true, millis >= 950, millis + " ms");
    }

    @Test
    void a_call_that_throws_fails_the_whole_map() {
        assertThrows(IllegalStateException.class, () -> ConcurrentCalls.map(List.of(1, 2, 3), i -> {
            if (i == 2) {
                throw new IllegalStateException("boom");
            }
            return i;
        }));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
