package io.flowretry.connectors.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one call per item, each on its own virtual thread, and returns the results in the items' order.
 * It does not limit anything itself: each call waits at its app's {@link HttpGate}, which is shared by
 * every run of the server. A call must return its failure as its result; one that throws anyway
 * fails the whole map (the callers' per-record fallback then takes over).
 */
final class ConcurrentCalls {

    private ConcurrentCalls() {
    }

    static <T, R> List<R> map(List<T> items, Function<T, R> call) {
        if (items.size() <= 1) {
            return items.stream().map(call).toList();
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(threads.submit(() -> call.apply(item)));
            }
        }
        List<R> results = new ArrayList<>(items.size());
        for (var future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return results;
    }
}
