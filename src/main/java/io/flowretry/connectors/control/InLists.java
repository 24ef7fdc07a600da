package io.flowretry.connectors.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a chunk's ids into {@code IN (…)} lists of at most {@link #MAX} entries (databases cap
 * the parameters of one statement: 32,767 on PostgreSQL's wire protocol, less elsewhere).
 */
public final class InLists {

    public static final int MAX = 500;

    private InLists() {
    }

    /** Consecutive views of {@code values}, each at most {@code size} long; none when empty. */
    public static <T> List<List<T>> slices(List<T> values, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("slice size " + size);
        }
        List<List<T>> slices = new ArrayList<>((values.size() + size - 1) / size);
        for (int from = 0; from < values.size(); from += size) {
            slices.add(values.subList(from, Math.min(values.size(), from + size)));
        }
        return slices;
    }

    /** {@code ?,?,?} for {@code n} parameters. */
    public static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
