package io.flowretry.connectors.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connections to the source and destination databases of flows, kept for reuse so a chunk does not
 * reconnect per record. At most {@value #MAX_IDLE} idle connections per (URL, user); an idle
 * connection is closed after {@link #MAX_IDLE_TIME} ({@link #evictIdle()} runs on a timer), so an
 * embedded H2 file database is released between runs. These are plain driver connections, outside
 * the application's transactions: a write is committed when it returns.
 * <p>
 * Only the H2 and PostgreSQL drivers are used, found by the application's class loader (PostgreSQL
 * from {@code WEB-INF/lib}, H2 from the server), and every URL passes {@link JdbcUrls} before it is
 * opened: a connection row stored before those rules, or written around the API, is refused too.
 * <p>
 * Every statement on these connections is bounded by {@link #statementTimeoutSeconds()}
 * (MicroProfile Config {@code FLOWRETRY_JDBC_STATEMENT_TIMEOUT_SECONDS}, default
 * {@value #STATEMENT_TIMEOUT_SECONDS}), the connectors' metadata queries included.
 */
@ApplicationScoped
public class JdbcPool {

    static final int MAX_IDLE = 4;
    static final Duration MAX_IDLE_TIME = Duration.ofSeconds(30);
    /** A connection idle for less than this is handed out without a validation round trip. */
    static final Duration VALIDATE_AFTER = Duration.ofSeconds(5);
    /** Seconds to wait for a PostgreSQL server to accept a connection. */
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final Map<String, String> DRIVERS = Map.of("jdbc:postgresql:", "org.postgresql.Driver", "jdbc:h2:", "org.h2.Driver");
    static final int STATEMENT_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(JdbcPool.class.getName());

    private record Key(String url, String user) {
    }

    private record Idle(Connection connection, long since) {
    }

    private final Map<Key, Deque<Idle>> idle = new HashMap<>();

    private final JdbcUrls urls;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_JDBC_STATEMENT_TIMEOUT_SECONDS", defaultValue = "" + STATEMENT_TIMEOUT_SECONDS)
    int statementTimeoutSeconds = STATEMENT_TIMEOUT_SECONDS;

    /** For the CDI proxy only. */
    protected JdbcPool() {
        this.urls = null;
    }

    @Inject
    public JdbcPool(JdbcUrls urls) {
        this.urls = urls;
    }

    /** A pool outside the container (tests), with its statement time-out. */
    JdbcPool(JdbcUrls urls, int statementTimeoutSeconds) {
        this.urls = urls;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    /** Seconds a statement on an app's connection may take before the driver cancels it. */
    public int statementTimeoutSeconds() {
        return statementTimeoutSeconds > 0 ? statementTimeoutSeconds : STATEMENT_TIMEOUT_SECONDS;
    }

    /** A connection to the app, open and in auto-commit mode; give it back with {@link #release}. */
    public Connection borrow(ConnectionDetails app) throws SQLException {
        var key = new Key(app.jdbcUrl(), app.username());
        while (true) {
            Idle candidate;
            synchronized (this) {
                var queue = idle.get(key);
                candidate = queue == null ? null : queue.pollFirst();
            }
            if (candidate == null) {
                return open(app);
            }
            boolean fresh = System.nanoTime() - candidate.since() < VALIDATE_AFTER.toNanos();
            if (fresh || usable(candidate.connection())) {
                return candidate.connection();
            }
            closeQuietly(candidate.connection());
        }
    }

    /** Gives a connection back; a broken one (or one beyond the idle limit) is closed. */
    public void release(ConnectionDetails app, Connection connection, boolean broken) {
        if (connection == null) {
            return;
        }
        try {
            if (broken || connection.isClosed()) {
                closeQuietly(connection);
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            return;
        }
        synchronized (this) {
            var queue = idle.computeIfAbsent(new Key(app.jdbcUrl(), app.username()), k -> new ArrayDeque<>());
            if (queue.size() < MAX_IDLE) {
                queue.addFirst(new Idle(connection, System.nanoTime()));
                return;
            }
        }
        closeQuietly(connection);
    }

    /** Closes connections idle for longer than {@link #MAX_IDLE_TIME}. */
    public void evictIdle() {
        long limit = System.nanoTime() - MAX_IDLE_TIME.toNanos();
        var stale = new java.util.ArrayList<Connection>();
        synchronized (this) {
            for (Iterator<Deque<Idle>> queues = idle.values().iterator(); queues.hasNext(); ) {
                var queue = queues.next();
                queue.removeIf(i -> {
                    if (i.since() - limit < 0) {
                        stale.add(i.connection());
                        return true;
                    }
                    return false;
                });
                if (queue.isEmpty()) {
                    queues.remove();
                }
            }
        }
        stale.forEach(JdbcPool::closeQuietly);
    }

    @PreDestroy
    synchronized void closeAll() {
        idle.values().forEach(q -> q.forEach(i -> closeQuietly(i.connection())));
        idle.clear();
    }

    private Connection open(ConnectionDetails app) throws SQLException {
        urls.check(app.name(), app.jdbcUrl());
        var properties = new Properties();
        if (app.username() != null) {
            properties.setProperty("user", app.username());
        }
        if (app.password() != null) {
            properties.setProperty("password", app.password());
        }
        if (app.jdbcUrl().startsWith("jdbc:postgresql:")) {
            properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        }
        var connection = driver(app.jdbcUrl()).connect(app.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("the JDBC driver does not accept the URL of connection " + app.name(), "08001");
        }
        return connection;
    }

    private static Driver driver(String url) throws SQLException {
        var name = DRIVERS.entrySet().stream().filter(d -> url.startsWith(d.getKey())).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new SQLException("no JDBC driver for this URL (H2 and PostgreSQL are supported)", "08001"));
        try {
            return (Driver) Class.forName(name, true, JdbcPool.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SQLException("the JDBC driver " + name + " is not available", "08001", e);
        }
    }

    private static boolean usable(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing a JDBC connection", e);
        }
    }
}
