package io.flowretry.retry.boundary;

import jakarta.ws.rs.core.SecurityContext;

/** Who asked: the signed-in user's name, recorded as a run's {@code startedBy}. */
final class Callers {

    private Callers() {
    }

    static String name(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
    }
}
