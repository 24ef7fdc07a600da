package io.flowretry.connectors.control;

import io.flowretry.bucket.entity.ErrorClass;
import io.flowretry.flows.control.FlowDefinition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * Keeps one pooled connection and its prepared statements from the first write until
 * {@link #close()} (a run's records reuse them); a transient failure drops them.
 */
final class JdbcDestination implements DestinationConnector {

    static final int QUERY_TIMEOUT_SECONDS = 30;

    private final ConnectionDetails app;
    private final JdbcPool pool;
    private final String table;
    private final String keyColumn;
    private UpsertSql.Dialect dialect;
    private Map<String, Integer> columnTypes;
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    JdbcDestination(ConnectionDetails app, FlowDefinition.Destination destination, JdbcPool pool) {
        this.app = app;
        this.pool = pool;
        this.table = destination.table();
        this.keyColumn = destination.keyColumn() == null || destination.keyColumn().isBlank() ? "source_id" : destination.keyColumn();
    }

    @Override
    public void upsert(String sourceId, Map<String, Object> record) throws ConnectorException {
        SqlIdentifiers.require(app.name(), "table", table);
        SqlIdentifiers.require(app.name(), "key column", keyColumn);
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (var field : record.entrySet()) {
            if (!field.getKey().equalsIgnoreCase(keyColumn)) {
                columns.add(SqlIdentifiers.require(app.name(), "column", field.getKey()));
                values.add(field.getValue());
            }
        }
        if (connection == null) {
            try {
                connection = pool.borrow(app);
            } catch (SQLException e) {
                throw JdbcFailures.failure(app.name() + ": cannot connect", e);
            }
        }
        try {
            describe();
            write(sourceId, columns, values);
        } catch (SQLException e) {
            var failure = JdbcFailures.failure(app.name() + " " + table + ": writing " + keyColumn + " " + sourceId, e);
            if (failure.errorClass() == ErrorClass.TRANSIENT) {
                release(true);
            }
            throw failure;
        }
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
        JdbcRows.bindValue(ps, 1, sourceId, type(keyColumn));
        for (int i = 0; i < values.size(); i++) {
            JdbcRows.bindValue(ps, i + 2, values.get(i), type(columns.get(i)));
        }
        ps.executeUpdate();
    }

    private PreparedStatement statement(String sql) throws SQLException {
        var ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
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
        try (var st = connection.createStatement();
             var rs = st.executeQuery("select * from " + table + " where 1 = 0")) {
            var meta = rs.getMetaData();
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
