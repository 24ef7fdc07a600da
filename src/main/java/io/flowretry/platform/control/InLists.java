package io.flowretry.platform.control;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Helpers for the plain-JDBC paths: a chunk's ids split into {@code IN (…)} lists of at most
 * {@link #MAX} entries (databases cap the parameters of one statement: 32,767 on PostgreSQL's wire
 * protocol, less elsewhere), their parameter marks, and instants bound as UTC
 * {@code timestamp with time zone} values (H2 and PostgreSQL alike).
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

    /** An instant as the UTC {@code OffsetDateTime} both databases bind to {@code timestamp with time zone}; null stays null. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
