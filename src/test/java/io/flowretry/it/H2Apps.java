package io.flowretry.it;

import java.sql.SQLException;

import org.h2.tools.Server;

/**
 * The source and destination apps of an IT: in-memory H2 databases behind a real H2 TCP server on
 * 127.0.0.1 (never on every address), reached by the deployed WAR as a user's JDBC app would be.
 */
final class H2Apps implements AutoCloseable {

    private final Server server;
    private final int port;

    private H2Apps(Server server) {
        this.server = server;
        this.port = server.getPort();
    }

    static H2Apps start() throws SQLException {
        System.setProperty("h2.bindAddress", "127.0.0.1");
        return new H2Apps(Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start());
    }

    /** The URL of in-memory database {@code db} on this server; it lives while the server does. */
    String url(String db) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + db + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    public void close() {
        server.stop();
    }
}
