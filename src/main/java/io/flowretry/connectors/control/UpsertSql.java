package io.flowretry.connectors.control;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that writes one destination row keyed by the source id, so writing a record twice leaves
 * one row. Parameters: the key first, then the columns in the given order.
 * <ul>
 * <li>PostgreSQL: {@code insert into t (k, a) values (?, ?) on conflict (k) do update set a = excluded.a}</li>
 * <li>H2: {@code merge into t (k, a) key (k) values (?, ?)}</li>
 * <li>other databases: an {@code update … where k = ?} (parameters: columns, then key), and when
 * it touched no row, a plain {@code insert}.</li>
 * </ul>
 * Names must have passed {@link SqlIdentifiers}.
 */
public final class UpsertSql {

    public enum Dialect {
        POSTGRES, H2, OTHER;

        public static Dialect of(String databaseProductName) {
            String name = databaseProductName == null ? "" : databaseProductName.toLowerCase(java.util.Locale.ROOT);
            if (name.contains("postgres")) {
                return POSTGRES;
            }
            return name.equals("h2") ? H2 : OTHER;
        }
    }

    private UpsertSql() {
    }

    /** The one-statement upsert for PostgreSQL and H2; for {@link Dialect#OTHER} the plain insert. */
    public static String upsert(Dialect dialect, String table, String keyColumn, List<String> columns) {
        String all = keyColumn + columns.stream().map(c -> ", " + c).collect(Collectors.joining());
        String marks = "?" + ", ?".repeat(columns.size());
        return switch (dialect) {
            case POSTGRES -> "insert into " + table + " (" + all + ") values (" + marks + ") on conflict (" + keyColumn + ") "
                    + (columns.isEmpty() ? "do nothing"
                    : "do update set " + columns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", ")));
            case H2 -> "merge into " + table + " (" + all + ") key (" + keyColumn + ") values (" + marks + ")";
            case OTHER -> "insert into " + table + " (" + all + ") values (" + marks + ")";
        };
    }

    /** For {@link Dialect#OTHER}: the update tried first (parameters: the columns, then the key); null without columns. */
    public static String update(String table, String keyColumn, List<String> columns) {
        if (columns.isEmpty()) {
            return null;
        }
        return "update " + table + " set " + columns.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                + " where " + keyColumn + " = ?";
    }
}
