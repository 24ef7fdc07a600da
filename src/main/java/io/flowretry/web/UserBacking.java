package io.flowretry.web;

import io.flowretry.kernel.Roles;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Arrays;

/**
 * The signed-in caller as the pages see it ({@code #{user.name}}, {@code #{user.operator}}): which
 * actions to show, and the server-side check each action makes before it changes anything.
 * Admin may do everything; operator executes and resyncs; viewer reads.
 */
@Named("user")
@RequestScoped
public class UserBacking {

    @Inject
    SecurityContext security;

    public String getName() {
        var principal = security.getCallerPrincipal();
        return principal == null ? null : principal.getName();
    }

    public boolean isAdmin() {
        return security.isCallerInRole(Roles.ADMIN);
    }

    /** May execute flows and resync records: operators and admins. */
    public boolean isOperator() {
        return isAdmin() || security.isCallerInRole(Roles.OPERATOR);
    }

    public void requireAdmin() {
        require(Roles.ADMIN);
    }

    public void requireOperator() {
        require(Roles.ADMIN, Roles.OPERATOR);
    }

    private void require(String... roles) {
        if (Arrays.stream(roles).noneMatch(security::isCallerInRole)) {
            throw new SecurityException(getName() + " needs one of the roles " + String.join(", ", roles));
        }
    }

    public String logout() throws ServletException {
        var external = FacesContext.getCurrentInstance().getExternalContext();
        ((HttpServletRequest) external.getRequest()).logout();
        external.invalidateSession();
        return "/login.xhtml?faces-redirect=true";
    }
}
