package io.flowretry.it;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Before any test of a PostgreSQL run (system property {@code flowretry.it.db=postgres}, set by
 * the failsafe execution "postgres"), creates the database the server under test will use,
 * fresh: {@code flowretry.it.pgdb} on 127.0.0.1:5432. Registered in META-INF/services.
 */
public class PostgresTestDatabase implements LauncherSessionListener {

    public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"postgres".equals(System.getProperty("flowretry.it.db"))) {
            return;
        }
        recreate(System.getProperty("flowretry.it.pgdb", "flowretry_it"));
    }

    /** Drops and creates a database on the local PostgreSQL (also used by tests for source/destination apps). */
    public static void recreate(String database) {
        if (!database.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException(database);
        }
        try (var connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for this run: " + e.getMessage(), e);
        }
    }
}
