package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;

/**
 * The MicroProfile Health checks, produced rather than declared as beans, so that no bean class
 * implements {@code HealthCheck}: on a server without MicroProfile Health (WildFly's
 * standalone-full.xml as it ships) the deployment's class scanning would load such a class and
 * fail with NoClassDefFoundError. There beans.xml leaves this class out, and the checks with it.
 */
@ApplicationScoped
public class HealthChecks {

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    /**
     * Created with the application, not on the first health call: WildFly asks from a management
     * thread, where the application's {@code java:app} names cannot be looked up.
     */
    void createdAtStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    }

    @Produces
    @Readiness
    HealthCheck database() {
        return new DatabaseReadiness(dataSource);
    }
}
