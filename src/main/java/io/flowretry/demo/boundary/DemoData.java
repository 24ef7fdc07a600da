package io.flowretry.demo.boundary;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.control.ConnectionDetails;
import io.flowretry.connectors.control.JdbcPool;
import io.flowretry.connectors.control.JdbcUrls;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Frequency;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.executions.boundary.Executions;
import io.flowretry.executions.entity.Execution;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.flows.control.FlowDefinition;
import io.flowretry.flows.control.MappingRule;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * With {@code DEMO_DATA=true}, and only while no environment exists yet: an environment "Demo", the
 * apps "CRM" and "ERP" as H2 file databases under {@code FLOWRETRY_DATA_DIR/apps} ({@code demo-crm},
 * {@code demo-erp}; 25 contacts, 5 of which fail the mapping), the flow "Contacts to customers"
 * deployed with AUTO retry (hourly, time lapse 20 min, batch 100), and its first execution a few
 * seconds after startup, so the bucket has something in it.
 */
@Singleton
@Startup
@DependsOn({"Migrations", "AdminBootstrap", "SealedConnections"})
public class DemoData {

    static final String ENVIRONMENT = "Demo";
    static final String FLOW = "Contacts to customers";
    private static final Logger LOG = Logger.getLogger(DemoData.class.getName());

    /** id, email, full name, city; 4, 9, 13, 17 and 22 fail the mapping. */
    static final List<Object[]> CONTACTS = List.of(
            new Object[]{1, "anna.schmidt@example.com", "Anna Schmidt", "Berlin"},
            new Object[]{2, "ben.mueller@example.com", "Ben Müller", "Hamburg"},
            new Object[]{3, "clara.fischer@example.com", "Clara Fischer", "Munich"},
            new Object[]{4, "mia.weber-at-example.com", "Mia Weber", "Cologne"},
            new Object[]{5, "david.wagner@example.com", "David Wagner", "Frankfurt"},
            new Object[]{6, "emma.becker@example.com", "Emma Becker", "Stuttgart"},
            new Object[]{7, "felix.hoffmann@example.com", "Felix Hoffmann", "Düsseldorf"},
            new Object[]{8, "greta.schulz@example.com", "Greta Schulz", "Leipzig"},
            new Object[]{9, "hannah.koch@example.com", null, "Dortmund"},
            new Object[]{10, "ida.richter@example.com", "Ida Richter", "Essen"},
            new Object[]{11, "jan.klein@example.com", "Jan Klein", "Bremen"},
            new Object[]{12, "karl.wolf@example.com", "Karl Wolf", "Dresden"},
            new Object[]{13, null, "Lena Neumann", "Hanover"},
            new Object[]{14, "max.schwarz@example.com", "Max Schwarz", "Nuremberg"},
            new Object[]{15, "nina.zimmermann@example.com", "Nina Zimmermann", "Duisburg"},
            new Object[]{16, "otto.braun@example.com", "Otto Braun", "Bochum"},
            new Object[]{17, "paula.krueger@", "Paula Krüger", "Wuppertal"},
            new Object[]{18, "quirin.hofmann@example.com", "Quirin Hofmann", "Bielefeld"},
            new Object[]{19, "rosa.hartmann@example.com", "Rosa Hartmann", "Bonn"},
            new Object[]{20, "sven.lange@example.com", "Sven Lange", "Münster"},
            new Object[]{21, "tina.schmitt@example.com", "Tina Schmitt", "Karlsruhe"},
            new Object[]{22, "uwe.werner@example.com", " ", "Mannheim"},
            new Object[]{23, "vera.krause@example.com", "Vera Krause", "Augsburg"},
            new Object[]{24, "willi.meier@example.com", "Willi Meier", "Wiesbaden"},
            new Object[]{25, "xenia.lehmann@example.com", "Xenia Lehmann", "Kiel"});

    @Inject
    @ConfigProperty(name = "DEMO_DATA", defaultValue = "false")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_DATA_DIR", defaultValue = "data")
    String dataDir;

    @Inject
    Environments environments;

    @Inject
    Connections connections;

    @Inject
    ProcessFlows flows;

    @Inject
    Deployments deployments;

    @Inject
    Executions executions;

    @Inject
    JdbcPool pool;

    @Resource
    TimerService timers;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void create() {
        if (!enabled) {
            return;
        }
        if (!environments.list().isEmpty()) {
            LOG.info("DEMO_DATA: environments exist already; no demo data created");
            return;
        }
        // apps' H2 files may only lie under FLOWRETRY_DATA_DIR/apps (JdbcUrls)
        var dir = Path.of(dataDir).resolve(JdbcUrls.APPS).toAbsolutePath().normalize();
        var crm = ConnectionDetails.jdbc("CRM", "jdbc:h2:file:" + dir.resolve("demo-crm"), "sa", "");
        var erp = ConnectionDetails.jdbc("ERP", "jdbc:h2:file:" + dir.resolve("demo-erp"), "sa", "");
        try {
            fillCrm(crm);
            createErp(erp);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "DEMO_DATA: cannot create the demo databases under " + dir + "; no demo data created", e);
            return;
        }
        var environment = environments.create(ENVIRONMENT, "Created by DEMO_DATA=true", "UTC", true);
        connections.create(crm.name(), "JDBC", crm.jdbcUrl(), crm.username(), crm.password(), null, null);
        connections.create(erp.name(), "JDBC", erp.jdbcUrl(), erp.username(), erp.password(), null, null);
        var flow = flows.create(FLOW, "CRM contacts into ERP customers", new FlowDefinition(
                new FlowDefinition.Source("CRM", "contacts", "id", null, null, null, null),
                List.of(new MappingRule("email", "email", null, true, "^[^@]+@[^@]+$"),
                        new MappingRule("name", "full_name", null, true, null),
                        new MappingRule("country", null, "DE", false, null)),
                new FlowDefinition.Destination("ERP", "customers", "source_id", null, null)));
        var deployment = deployments.deploy(environment.getId(), flow.getId(), SyncSettings.manual(),
                new RetrySettings(RetryMode.AUTO, Frequency.HOURLY, null, 1, 20, 100), "admin").deployment();
        timers.createSingleActionTimer(3_000, new TimerConfig(deployment.getId(), false));
        LOG.info(() -> "DEMO_DATA: environment Demo, apps CRM (" + crm.jdbcUrl() + ") and ERP (" + erp.jdbcUrl()
                + "), flow \"" + FLOW + "\" deployed as deployment " + deployment.getId() + "; its first execution starts in 3 s");
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void firstExecution(Timer timer) {
        long deploymentId = (Long) timer.getInfo();
        var execution = executions.start(deploymentId, Execution.MANUAL, "demo");
        LOG.info(() -> "DEMO_DATA: execution " + execution.getId() + " of deployment " + deploymentId + " started");
    }

    private void fillCrm(ConnectionDetails crm) throws SQLException {
        var connection = pool.borrow(crm);
        try (var st = connection.createStatement()) {
            st.execute("drop table if exists contacts");
            st.execute("create table contacts (id int primary key, email varchar(200), full_name varchar(200), city varchar(100))");
            try (var insert = connection.prepareStatement("insert into contacts (id, email, full_name, city) values (?, ?, ?, ?)")) {
                for (Object[] c : CONTACTS) {
                    for (int i = 0; i < c.length; i++) {
                        insert.setObject(i + 1, c[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } finally {
            pool.release(crm, connection, false);
        }
    }

    private void createErp(ConnectionDetails erp) throws SQLException {
        var connection = pool.borrow(erp);
        try (var st = connection.createStatement()) {
            st.execute("drop table if exists customers");
            st.execute("create table customers (source_id varchar(50) primary key, email varchar(200) not null,"
                    + " name varchar(200) not null, country varchar(2))");
        } finally {
            pool.release(erp, connection, false);
        }
    }
}
