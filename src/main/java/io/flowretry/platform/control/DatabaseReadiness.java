package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;

/** Ready only while the application's database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    /**
     * Created with the application, not on the first health call: WildFly asks from a management
     * thread, where the application's {@code java:app} names cannot be looked up.
     */
    void createdAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    }

    @Override
    public HealthCheckResponse call() {
        try (var connection = dataSource.getConnection()) {
            var valid = connection.isValid(2);
            return HealthCheckResponse.named("database").status(valid)
                    .withData("product", connection.getMetaData().getDatabaseProductName()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("database").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
