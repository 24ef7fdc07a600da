package io.flowretry.retry.control;

import io.flowretry.connectors.control.Breaker.Signal;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.kernel.ErrorClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a chunk's outcomes say of its two apps, and which outcomes an outage caused. An outcome names
 * the app that failed by what it carries: no input, the source failed (read); input and output, the
 * destination failed (write); input without output, the mapping failed (the source answered). A
 * success is an answer of both; a DATA or SOURCE_MISSING failure is an answer of the app that gave it.
 */
final class Outages {

    enum Side { SOURCE, DESTINATION }

    private Outages() {
    }

    /** The app whose failure the outcome is; null for a success or a mapping failure. */
    static Side failedAt(RecordOutcome o) {
        if (o.success() || o.input() != null && o.output() == null) {
            return null;
        }
        return o.input() == null ? Side.SOURCE : Side.DESTINATION;
    }

    /** The side's signals for the breaker, in the order of the outcomes. */
    static List<Signal> signals(List<RecordOutcome> outcomes, Side side) {
        var signals = new ArrayList<Signal>(outcomes.size());
        for (var o : outcomes) {
            var at = failedAt(o);
            if (at == side) {
                signals.add(o.errorClass() == ErrorClass.TRANSIENT || o.errorClass() == null ? Signal.failed(o.error()) : Signal.ANSWERED);
            } else if (o.success() || side == Side.SOURCE && (o.input() != null)) {
                signals.add(Signal.ANSWERED); // the source answered when a record reached the mapping or the destination
            }
        }
        return signals;
    }

    /**
     * The indexes of the outcomes an outage caused: the TRANSIENT failures of a DOWN side after the
     * last answer that side gave in the chunk (before that answer it was still up: those count as tries).
     */
    static Set<Integer> causedBy(List<RecordOutcome> outcomes, Collection<Side> down) {
        var caused = new LinkedHashSet<Integer>();
        for (var side : down) {
            for (int i = outcomes.size() - 1; i >= 0; i--) {
                var o = outcomes.get(i);
                if (failedAt(o) == side && (o.errorClass() == ErrorClass.TRANSIENT || o.errorClass() == null)) {
                    caused.add(i);
                } else if (answered(o, side)) {
                    break;
                }
            }
        }
        return caused;
    }

    private static boolean answered(RecordOutcome o, Side side) {
        return o.success() || failedAt(o) == side || side == Side.SOURCE && o.input() != null;
    }
}
