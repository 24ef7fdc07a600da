package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.control.InLists;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads a table of a JDBC app: {@code select * from T where idColumn > ? order by idColumn},
 * streamed with a fetch size (auto-commit off, which PostgreSQL needs to use a cursor), so the
 * table is never in memory. Ids are bound by the id column's type, read once from the metadata.
 * {@link #read} and {@link #readMany} keep one pooled connection and statement until {@link #close()}
 * (a retry reads many records). {@link #readMany} reads a chunk with one
 * {@code select * from T where idColumn in (…)} per {@link InLists} slice; an id it does not find
 * is asked for once more by {@link #read}, so "gone" means exactly what it means for one id
 * (whatever the database's padding or collation rules make of the text).
 */
final class JdbcSource implements SourceConnector {

    static final int FETCH_SIZE = 500;

    private final ConnectionDetails app;
    private final JdbcPool pool;
    private final String table;
    private final String idColumn;
    private Integer idType;
    private Boolean upperCaseNames;
    private Connection readConnection;
    private PreparedStatement readStatement;

    JdbcSource(ConnectionDetails app, SourceSpec source, JdbcPool pool) {
        this.app = app;
        this.pool = pool;
        this.table = source.table();
        this.idColumn = source.idColumn() == null || source.idColumn().isBlank() ? "id" : source.idColumn();
    }

    @Override
    public RecordCursor readAll(String afterId) throws ConnectorException {
        checkNames();
        Connection connection = connect();
        try {
            describe(connection);
            connection.setAutoCommit(false);
            String sql = "select * from " + table + (afterId == null ? "" : " where " + idColumn + " > ?") + " order by " + idColumn;
            PreparedStatement ps = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(FETCH_SIZE);
            if (afterId != null) {
                JdbcRows.bindId(ps, 1, afterId, idType);
            }
            return new Cursor(connection, ps, ps.executeQuery());
        } catch (SQLException e) {
            pool.release(app, connection, true);
            throw JdbcFailures.failure(what("reading"), e);
        } catch (NumberFormatException e) {
            pool.release(app, connection, false);
            throw new ConnectorException(ErrorClass.DATA, what("reading") + ": id " + afterId + " is not a number");
        } catch (ConnectorException e) {
            pool.release(app, connection, false);
            throw e;
        }
    }

    @Override
    public Optional<Map<String, Object>> read(String id) throws ConnectorException {
        checkNames();
        if (readConnection == null) {
            readConnection = connect();
        }
        try {
            describe(readConnection);
            if (readStatement == null) {
                readStatement = readConnection.prepareStatement("select * from " + table + " where " + idColumn + " = ?");
                readStatement.setQueryTimeout(pool.statementTimeoutSeconds());
            }
            JdbcRows.bindId(readStatement, 1, id, idType);
            try (var rs = readStatement.executeQuery()) {
                return rs.next() ? Optional.of(JdbcRows.record(rs, upperCaseNames)) : Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty(); // a numeric id column cannot hold it
        } catch (SQLException e) {
            var failure = JdbcFailures.failure(what("reading id " + id), e);
            if (failure.errorClass() == ErrorClass.TRANSIENT) {
                releaseReads(true);
            }
            throw failure;
        }
    }

    @Override
    public Map<String, Map<String, Object>> readMany(List<String> ids) throws ConnectorException {
        checkNames();
        if (readConnection == null) {
            readConnection = connect();
        }
        Map<String, Map<String, Object>> found = HashMap.newHashMap(ids.size());
        try {
            describe(readConnection);
            for (var slice : InLists.slices(ids, InLists.MAX)) {
                readSlice(slice, found);
            }
        } catch (SQLException e) {
            var failure = JdbcFailures.failure(what("reading " + ids.size() + " ids"), e);
            if (failure.errorClass() == ErrorClass.TRANSIENT) {
                releaseReads(true);
            }
            throw failure;
        }
        for (String id : ids) {
            if (!found.containsKey(id)) {
                read(id).ifPresent(record -> found.put(id, record));
            }
        }
        return found;
    }

    /** One {@code IN} query; rows are matched to the ids asked for by the id's value as text. */
    private void readSlice(List<String> ids, Map<String, Map<String, Object>> found) throws SQLException {
        Map<String, List<String>> asked = new HashMap<>();
        List<Object> values = new ArrayList<>(ids.size());
        for (String id : ids) {
            try {
                Object value = JdbcRows.idValue(id, idType);
                var same = asked.computeIfAbsent(JdbcRows.idText(value), k -> new ArrayList<>());
                if (same.isEmpty()) {
                    values.add(value);
                }
                same.add(id);
            } catch (NumberFormatException e) {
                // a numeric id column cannot hold it: gone
            }
        }
        if (values.isEmpty()) {
            return;
        }
        try (var ps = readConnection.prepareStatement("select * from " + table + " where " + idColumn
                + " in (" + InLists.marks(values.size()) + ")")) {
            ps.setQueryTimeout(pool.statementTimeoutSeconds());
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            try (var rs = ps.executeQuery()) {
                int idIndex = JdbcRows.columnIndex(rs.getMetaData(), idColumn);
                while (rs.next()) {
                    var record = JdbcRows.record(rs, upperCaseNames);
                    for (String id : asked.getOrDefault(JdbcRows.idText(rs.getObject(idIndex)), List.of())) {
                        found.put(id, record);
                    }
                }
            }
        }
    }

    private void releaseReads(boolean broken) {
        if (readStatement != null) {
            try {
                readStatement.close();
            } catch (SQLException e) {
                broken = true;
            }
            readStatement = null;
        }
        pool.release(app, readConnection, broken);
        readConnection = null;
    }

    /** Gives back the connection of {@link #read}; cursors give back their own when closed. */
    @Override
    public void close() {
        if (readConnection != null) {
            releaseReads(false);
        }
    }

    private void checkNames() throws ConnectorException {
        SqlIdentifiers.require(app.name(), "table", table);
        SqlIdentifiers.require(app.name(), "id column", idColumn);
    }

    private Connection connect() throws ConnectorException {
        try {
            return pool.borrow(app);
        } catch (SQLException e) {
            throw JdbcFailures.failure(app.name() + ": cannot connect", e);
        }
    }

    private void describe(Connection connection) throws SQLException, ConnectorException {
        if (idType != null) {
            return;
        }
        upperCaseNames = connection.getMetaData().storesUpperCaseIdentifiers();
        try (var st = connection.createStatement()) {
            st.setQueryTimeout(pool.statementTimeoutSeconds()); // a locked table must not hang the run
            var rs = st.executeQuery("select * from " + table + " where 1 = 0");
            int index = JdbcRows.columnIndex(rs.getMetaData(), idColumn);
            if (index < 0) {
                throw new ConnectorException(ErrorClass.DATA, app.name() + " " + table + ": no id column " + idColumn);
            }
            idType = rs.getMetaData().getColumnType(index);
        }
    }

    private String what(String doing) {
        return app.name() + " " + table + ": " + doing;
    }

    /** The open result set; gives the connection back when closed or exhausted. */
    private final class Cursor implements RecordCursor {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rs;
        private final int idIndex;
        private SourceRecord next;
        private boolean done;

        Cursor(Connection connection, PreparedStatement statement, ResultSet rs) throws SQLException {
            this.connection = connection;
            this.statement = statement;
            this.rs = rs;
            this.idIndex = JdbcRows.columnIndex(rs.getMetaData(), idColumn);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    if (rs.next()) {
                        next = new SourceRecord(JdbcRows.idText(rs.getObject(idIndex)), JdbcRows.record(rs, upperCaseNames));
                    } else {
                        close();
                    }
                } catch (SQLException e) {
                    close(true);
                    throw new ReadFailedException(JdbcFailures.failure(what("reading"), e));
                }
            }
            return next != null;
        }

        @Override
        public SourceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            var record = next;
            next = null;
            return record;
        }

        @Override
        public void close() {
            close(false);
        }

        private void close(boolean broken) {
            if (done) {
                return;
            }
            done = true;
            try {
                rs.close();
                statement.close();
            } catch (SQLException e) {
                broken = true;
            }
            pool.release(app, connection, broken);
        }
    }
}
