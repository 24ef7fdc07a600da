package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Classifies a database failure by its exception type and SQLState class:
 * <ul>
 * <li>{@code DATA}: the row itself was rejected — integrity constraints (23), data exceptions such as
 * a value too long or not a number (22), cardinality (21), check option (44), and unknown
 * tables or columns (42: the mapping names something the destination lacks).</li>
 * <li>{@code TRANSIENT}: everything else — connection failures (08), rollbacks and deadlocks (40),
 * resources (53), operator intervention and time-outs (57), and vendor codes nobody knows;
 * a later attempt may succeed.</li>
 * </ul>
 */
public final class JdbcFailures {

    private static final Set<String> DATA_CLASSES = Set.of("21", "22", "23", "42", "44");

    private JdbcFailures() {
    }

    public static ErrorClass classify(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return ErrorClass.TRANSIENT;
        }
        if (e instanceof SQLIntegrityConstraintViolationException || e instanceof SQLDataException
                || e instanceof SQLSyntaxErrorException) {
            return ErrorClass.DATA;
        }
        String state = e.getSQLState();
        if (state != null && state.length() >= 2 && DATA_CLASSES.contains(state.substring(0, 2))) {
            return ErrorClass.DATA;
        }
        return ErrorClass.TRANSIENT;
    }

    /** A {@link ConnectorException} whose text names the app and what it was doing, then the database's words. */
    static ConnectorException failure(String what, SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
        return new ConnectorException(classify(e), what + ": " + message + state, e);
    }
}
