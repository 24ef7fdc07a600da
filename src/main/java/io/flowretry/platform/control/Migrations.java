package io.flowretry.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Brings the schema to the newest version at startup, before anything else touches the database
 * (other startup beans declare {@code @DependsOn("Migrations")}): the SQL migrations in
 * {@code db/migration} and the Java ones registered here.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        var flyway = configuration(getClass().getClassLoader(), isPostgres()).dataSource(dataSource).load();
        var result = flyway.migrate();
        LOG.info(() -> "Database schema at version " + flyway.info().current().getVersion()
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /** Every migration, for H2 or PostgreSQL; the caller adds the data source (tests use their own database). */
    public static FluentConfiguration configuration(ClassLoader loader, boolean postgres) {
        return Flyway.configure(loader)
                .locations("classpath:db/migration")
                .javaMigrations(new V20__AppSeqBlocksOf1000()) // registered, not scanned: scanning classes in a WAR is not portable
                .placeholders(Map.of("sourceIdCollation", postgres ? " collate \"C\"" : ""));
    }

    private boolean isPostgres() {
        try (var connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
    }
}
