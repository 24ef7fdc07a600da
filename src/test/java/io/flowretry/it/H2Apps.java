package io.flowretry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.h2.tools.Server;

/**
 * The source and destination apps of an IT: H2 databases behind a real H2 TCP server on
 * 127.0.0.1 (never on every address), reached by the deployed WAR as a user's JDBC app would be.
 * In memory by default ({@link #start}); on disk in a folder of its own ({@link #onDisk}), so a
 * test can {@link #stop} the server (an app that is down) and {@link #restart} it on the same port
 * with the data kept.
 */
final class H2Apps implements AutoCloseable {

    private final Path baseDir;
    private final int port;
    private Server server;

    private H2Apps(Server server, Path baseDir) {
        this.server = server;
        this.baseDir = baseDir;
        this.port = server.getPort();
    }

    static H2Apps start() throws SQLException {
        System.setProperty("h2.bindAddress", "127.0.0.1");
        return new H2Apps(Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start(), null);
    }

    /** Databases as files in a new temporary folder: they outlive a {@link #stop}. */
    static H2Apps onDisk() throws SQLException {
        System.setProperty("h2.bindAddress", "127.0.0.1");
        try {
            var dir = Files.createTempDirectory("h2apps");
            return new H2Apps(Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of database {@code db} on this server: in memory (it lives while the server does), or a file of {@link #onDisk}. */
    String url(String db) {
        return baseDir == null ? "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + db + ";DB_CLOSE_DELAY=-1"
                : "jdbc:h2:tcp://127.0.0.1:" + port + "/" + db;
    }

    /** Runs statements on database {@code db}. */
    void sql(String db, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(url(db), "sa", ""); var s = c.createStatement()) {
            for (var statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** The first column of the first row of {@code query} on database {@code db}, as a long. */
    long number(String db, String query) throws SQLException {
        try (var c = DriverManager.getConnection(url(db), "sa", ""); var s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The server goes away: connections are refused until {@link #restart}. */
    void stop() {
        server.stop();
    }

    /** The server again, on the same port. */
    void restart() throws SQLException {
        var args = baseDir == null ? new String[]{"-tcpPort", String.valueOf(port), "-ifNotExists"}
                : new String[]{"-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", baseDir.toString()};
        server = Server.createTcpServer(args).start();
    }

    @Override
    public void close() {
        server.stop();
    }
}
