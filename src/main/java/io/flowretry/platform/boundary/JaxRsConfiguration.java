package io.flowretry.platform.boundary;

import io.flowretry.kernel.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}. */
@ApplicationPath("api")
@DeclareRoles({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.METRICS})
public class JaxRsConfiguration extends Application {
}
