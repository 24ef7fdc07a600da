package io.flowretry.connectors.control;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Rows to records and values to parameters, the same way for every database. */
final class JdbcRows {

    private static final Set<Integer> INTEGERS = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);
    private static final Set<Integer> DECIMALS = Set.of(Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE);
    private static final Set<Integer> TEXTS = Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR,
            Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB);

    private JdbcRows() {
    }

    /** Field name → value; names lower-cased when the database reports them upper-case (H2), so records look alike everywhere. */
    static Map<String, Object> record(ResultSet rs, boolean lowerCaseNames) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String label = meta.getColumnLabel(i);
            fields.put(lowerCaseNames ? label.toLowerCase(Locale.ROOT) : label, value(rs.getObject(i)));
        }
        return fields;
    }

    /** The id as the API sees it: text ({@code 42}, not {@code 42.0}). */
    static String idText(Object id) {
        if (id instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(id);
    }

    static int columnIndex(ResultSetMetaData meta, String column) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(column) || meta.getColumnName(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Binds an id given as text to a column of type {@code sqlType}: as a number for numeric columns
     * (so the index serves the comparison).
     *
     * @throws NumberFormatException if the column is numeric and the text is not a number
     */
    static void bindId(PreparedStatement ps, int index, String id, int sqlType) throws SQLException {
        ps.setObject(index, idValue(id, sqlType));
    }

    /**
     * The id given as text as a value of a column of type {@code sqlType}: a number for numeric
     * columns, else the text.
     *
     * @throws NumberFormatException if the column is numeric and the text is not a number
     */
    static Object idValue(String id, int sqlType) {
        if (INTEGERS.contains(sqlType)) {
            return Long.parseLong(id.trim());
        } else if (DECIMALS.contains(sqlType)) {
            return new BigDecimal(id.trim());
        }
        return id;
    }

    /** Binds a mapped value; text going into a non-text column is converted by the driver to the column's type. */
    static void bindValue(PreparedStatement ps, int index, Object value, Integer sqlType) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType == null ? Types.VARCHAR : sqlType);
        } else if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
            ps.setString(index, Json.write(value));
        } else if (value instanceof String s && sqlType != null && !TEXTS.contains(sqlType)) {
            ps.setObject(index, s, sqlType);
        } else {
            ps.setObject(index, value);
        }
    }

    private static Object value(Object raw) throws SQLException {
        if (raw instanceof Clob clob) {
            return clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        }
        if (raw instanceof Blob blob) {
            return blob.getBytes(1, (int) Math.min(Integer.MAX_VALUE, blob.length()));
        }
        return raw;
    }
}
