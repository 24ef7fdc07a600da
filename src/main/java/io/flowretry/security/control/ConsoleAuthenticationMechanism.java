package io.flowretry.security.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * HTTP Basic for {@code /api/*}, {@code /openapi} and {@code /metrics} (stateless: no session is
 * created; any request that carries Basic credentials is treated the same) and a form login for the
 * console pages (the signed-in caller is kept in the HTTP session). Both validate against the
 * same identity store.
 */
@ApplicationScoped
public class ConsoleAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String SESSION_CALLER = "flowretry.caller";
    public static final String LOGIN_PAGE = "/login.xhtml";

    /** What the session remembers of a console sign-in. */
    record SessionCaller(String name, Set<String> groups) implements Serializable {
    }

    @Inject
    IdentityStoreHandler identityStore;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        var path = request.getRequestURI().substring(request.getContextPath().length());
        if (isMachinePath(path) || hasBasicHeader(request)) {
            return basic(request, response, context);
        }
        return form(request, context);
    }

    /** The REST API and the server's MicroProfile endpoints (OpenAPI, metrics) speak Basic, never redirect. */
    private static boolean isMachinePath(String path) {
        return path.startsWith("/api/") || path.equals("/openapi") || path.startsWith("/openapi/")
                || path.equals("/metrics") || path.startsWith("/metrics/");
    }

    private static boolean hasBasicHeader(HttpServletRequest request) {
        var header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private AuthenticationStatus basic(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        var header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            var result = validate(header.substring(6).trim());
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                return context.notifyContainerAboutLogin(result);
            }
            return challenge(response, context);
        }
        return context.isProtected() ? challenge(response, context) : context.doNothing();
    }

    private CredentialValidationResult validate(String encoded) {
        try {
            var decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return CredentialValidationResult.INVALID_RESULT;
            }
            return identityStore.validate(new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return CredentialValidationResult.INVALID_RESULT;
        }
    }

    private AuthenticationStatus challenge(HttpServletResponse response, HttpMessageContext context) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"flowretry\"");
        response.setContentType("application/problem+json");
        try {
            response.setStatus(401);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"Sign in with HTTP Basic\"}");
        } catch (java.io.IOException ignored) {
            // the status is what counts
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    private AuthenticationStatus form(HttpServletRequest request, HttpMessageContext context) {
        if (context.isAuthenticationRequest() && context.getAuthParameters().getCredential() != null) {
            var result = identityStore.validate(context.getAuthParameters().getCredential());
            if (result.getStatus() != CredentialValidationResult.Status.VALID) {
                // no sendError: the login page (the caller of SecurityContext.authenticate) shows the message
                return AuthenticationStatus.SEND_FAILURE;
            }
            request.getSession(true).setAttribute(SESSION_CALLER,
                    new SessionCaller(result.getCallerPrincipal().getName(), Set.copyOf(result.getCallerGroups())));
            return context.notifyContainerAboutLogin(result);
        }
        var session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_CALLER) instanceof SessionCaller caller) {
            return context.notifyContainerAboutLogin(caller.name(), caller.groups());
        }
        if (context.isProtected()) {
            return context.redirect(request.getContextPath() + LOGIN_PAGE);
        }
        return context.doNothing();
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        var session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(SESSION_CALLER);
        }
        HttpAuthenticationMechanism.super.cleanSubject(request, response, context);
    }
}
