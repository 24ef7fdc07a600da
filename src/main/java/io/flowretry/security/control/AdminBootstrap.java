package io.flowretry.security.control;

import io.flowretry.kernel.Roles;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The first start creates the user {@code admin}: with the password of {@code ADMIN_PASSWORD}, or,
 * when that is unset, a random one written once to the server log.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

    @Inject
    Users users;

    @Inject
    @ConfigProperty(name = "ADMIN_PASSWORD")
    Optional<String> adminPassword;

    @PostConstruct
    void createAdmin() {
        if (users.exists("admin")) {
            return;
        }
        var password = adminPassword.filter(p -> !p.isBlank()).orElseGet(AdminBootstrap::randomPassword);
        users.create("admin", password, Set.of(Roles.ADMIN));
        if (adminPassword.isPresent()) {
            LOG.info("Created user admin with the password from ADMIN_PASSWORD");
        } else {
            LOG.warning("Created user admin with the generated password: " + password
                    + "  (shown once; set ADMIN_PASSWORD before the first start to choose it)");
        }
    }

    private static String randomPassword() {
        var bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
