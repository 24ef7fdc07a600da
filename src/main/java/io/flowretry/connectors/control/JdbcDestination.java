package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes mapped records into a table of a JDBC app, one upsert per record keyed by
 * {@code keyColumn} = the source id ({@link UpsertSql}; the dialect from the database's product
 * name), each committed when it returns. Values are bound by the destination columns' types, read
 * once from the metadata. A rejected row (constraint, bad value, unknown column) is {@code DATA};
 * a lost connection or a time-out {@code TRANSIENT} ({@link JdbcFailures}).
 * <p>
 * {@link #upsertAll} sends a chunk's upserts (same columns, PostgreSQL or H2) as one JDBC batch in
 * one transaction of its own; when the batch fails it is rolled back and every record is written
 * by itself, so each gets its own outcome and a rejected row never fails its neighbours.
 * <p>
 * Keeps one pooled connection and its prepared statements from the first write until
 * {@link #close()} (a run's records reuse them); a transient failure drops them.
 */
final class JdbcDestination implements DestinationConnector {

    private final ConnectionDetails app;
    private final JdbcPool pool;
    private final String table;
    private final String keyColumn;
    private UpsertSql.Dialect dialect;
    private Map<String, Integer> columnTypes;
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    JdbcDestination(ConnectionDetails app, DestinationSpec destination, JdbcPool pool) {
        this.app = app;
        this.pool = pool;
        this.table = destination.table();
        this.keyColumn = destination.keyColumn() == null || destination.keyColumn().isBlank() ? "source_id" : destination.keyColumn();
    }

    @Override
    public void upsert(String sourceId, Map<String, Object> record) throws ConnectorException {
        checkNames();
        var row = row(record);
        connect();
        try {
            describe();
            write(sourceId, row.columns(), row.values());
        } catch (SQLException e) {
            throw failure("writing " + keyColumn + " " + sourceId, e);
        }
    }

    @Override
    public List<ConnectorException> upsertAll(List<Write> writes) {
        if (writes.size() > 1) {
            var batch = writeBatch(writes);
            if (batch != null) {
                return batch;
            }
        }
        return DestinationConnector.super.upsertAll(writes);
    }

    /**
     * The chunk as one batch and one transaction: no failures when it was all written; the batch's
     * failure for every record when it was TRANSIENT (a time-out, a lost connection: each record's own
     * upsert would wait the same time-out again, a locked table then held the run records × time-out);
     * null (nothing written) when the records' own upserts must tell which one is wrong.
     */
    private List<ConnectorException> writeBatch(List<Write> writes) {
        List<Row> rows = new ArrayList<>(writes.size());
        try {
            checkNames();
            for (var write : writes) {
                rows.add(row(write.record()));
            }
            connect();
            describe();
        } catch (ConnectorException e) {
            return e.errorClass() == ErrorClass.TRANSIENT ? Collections.nCopies(writes.size(), e) : null;
        } catch (SQLException e) {
            return transientForAll(writes, "reading the table's columns", e);
        }
        var columns = rows.getFirst().columns();
        if (dialect == UpsertSql.Dialect.OTHER || rows.stream().anyMatch(r -> !r.columns().equals(columns))) {
            return null;
        }
        try {
            var ps = statement(UpsertSql.upsert(dialect, table, keyColumn, columns));
            connection.setAutoCommit(false);
            try {
                for (int i = 0; i < writes.size(); i++) {
                    bind(ps, writes.get(i).sourceId(), columns, rows.get(i).values());
                    ps.addBatch();
                }
                ps.executeBatch();
                connection.commit();
                return Collections.nCopies(writes.size(), null);
            } catch (SQLException e) {
                ps.clearBatch();
                connection.rollback();
                return transientForAll(writes, "writing " + writes.size() + " records", e);
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            release(true); // the connection is in doubt: the records' own upserts take a fresh one
            return null;
        }
    }

    private List<ConnectorException> transientForAll(List<Write> writes, String doing, SQLException e) {
        var cause = e instanceof java.sql.BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        if (JdbcFailures.classify(cause) != ErrorClass.TRANSIENT) {
            return null;
        }
        return Collections.nCopies(writes.size(), failure(doing, cause));
    }

    /** A record's columns (the key column left out: it is the source id) and their values, in order. */
    private record Row(List<String> columns, List<Object> values) {
    }

    private Row row(Map<String, Object> record) throws ConnectorException {
        List<String> columns = new ArrayList<>(record.size());
        List<Object> values = new ArrayList<>(record.size());
        for (var field : record.entrySet()) {
            if (!field.getKey().equalsIgnoreCase(keyColumn)) {
                columns.add(SqlIdentifiers.require(app.name(), "column", field.getKey()));
                values.add(field.getValue());
            }
        }
        return new Row(columns, values);
    }

    private void checkNames() throws ConnectorException {
        SqlIdentifiers.require(app.name(), "table", table);
        SqlIdentifiers.require(app.name(), "key column", keyColumn);
    }

    private void connect() throws ConnectorException {
        if (connection == null) {
            try {
                connection = pool.borrow(app);
            } catch (SQLException e) {
                throw JdbcFailures.failure(app.name() + ": cannot connect", e);
            }
        }
    }

    private ConnectorException failure(String doing, SQLException e) {
        var failure = JdbcFailures.failure(app.name() + " " + table + ": " + doing, e);
        if (failure.errorClass() == ErrorClass.TRANSIENT) {
            release(true);
        }
        return failure;
    }

    private void write(String sourceId, List<String> columns, List<Object> values) throws SQLException {
        if (dialect == UpsertSql.Dialect.OTHER) {
            String update = UpsertSql.update(table, keyColumn, columns);
            if (update != null) {
                var ps = statement(update);
                for (int i = 0; i < values.size(); i++) {
                    JdbcRows.bindValue(ps, i + 1, values.get(i), type(columns.get(i)));
                }
                JdbcRows.bindValue(ps, values.size() + 1, sourceId, type(keyColumn));
                if (ps.executeUpdate() > 0) {
                    return;
                }
            }
        }
        var ps = statement(UpsertSql.upsert(dialect, table, keyColumn, columns));
        bind(ps, sourceId, columns, values);
        ps.executeUpdate();
    }

    /** The upsert's parameters: the key, then the columns' values. */
    private void bind(PreparedStatement ps, String sourceId, List<String> columns, List<Object> values) throws SQLException {
        JdbcRows.bindValue(ps, 1, sourceId, type(keyColumn));
        for (int i = 0; i < values.size(); i++) {
            JdbcRows.bindValue(ps, i + 2, values.get(i), type(columns.get(i)));
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        var ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            ps.setQueryTimeout(pool.statementTimeoutSeconds());
            statements.put(sql, ps);
        }
        return ps;
    }

    private Integer type(String column) {
        return columnTypes.get(column.toLowerCase(Locale.ROOT));
    }

    private void describe() throws SQLException {
        if (columnTypes != null) {
            return;
        }
        dialect = UpsertSql.Dialect.of(connection.getMetaData().getDatabaseProductName());
        var types = new HashMap<String, Integer>();
        try (var st = connection.createStatement()) {
            st.setQueryTimeout(pool.statementTimeoutSeconds()); // a locked table must not hang the run
            var meta = st.executeQuery("select * from " + table + " where 1 = 0").getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnName(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
            }
        }
        columnTypes = types;
    }

    private void release(boolean broken) {
        for (var ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                broken = true;
            }
        }
        statements.clear();
        pool.release(app, connection, broken);
        connection = null;
    }

    @Override
    public void close() {
        if (connection != null) {
            release(false);
        }
    }
}
