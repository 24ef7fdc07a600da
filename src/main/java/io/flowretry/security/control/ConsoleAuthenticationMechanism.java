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
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * HTTP Basic for {@code /api/*}, {@code /openapi} and {@code /metrics} (stateless: no session is
 * created; any request that carries Basic credentials is treated the same) and a form login for the
 * console pages (the signed-in caller is kept in the HTTP session). Both validate against the
 * same identity store. Failed sign-ins are throttled ({@link SignInThrottle}: 429 with {@code Retry-After}
 * on the API, a message on the login page); a valid password is remembered a while ({@link VerifiedCredentials}).
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

    @Inject
    VerifiedCredentials verified;

    @Inject
    Users users;

    @Inject
    SignInThrottle throttle;

    /** Set on the request when a console sign-in is refused because of too many failures: the seconds to wait. */
    public static final String LOCKED_SECONDS = "flowretry.signInLockedSeconds";

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
            var credential = decode(header.substring(6).trim());
            if (credential == null) {
                return challenge(response, context);
            }
            var locked = throttle.lockedFor(credential.getCaller(), request.getRemoteAddr());
            if (locked.isPresent()) {
                return tooManyFailures(response, locked.get());
            }
            var result = check(credential, request);
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                return context.notifyContainerAboutLogin(result);
            }
            return challenge(response, context);
        }
        return context.isProtected() ? challenge(response, context) : context.doNothing();
    }

    private static UsernamePasswordCredential decode(String encoded) {
        try {
            var decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AuthenticationStatus tooManyFailures(HttpServletResponse response, Duration locked) {
        long seconds = Math.max(1, locked.toSeconds() + (locked.toMillisPart() > 0 ? 1 : 0));
        response.setHeader("Retry-After", String.valueOf(seconds));
        response.setContentType("application/problem+json");
        try {
            response.setStatus(429);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                    + "\"detail\":\"Too many failed sign-ins; try again in " + seconds + " s\"}");
        } catch (java.io.IOException ignored) {
            // the status is what counts
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    /** The identity store's verdict, remembered a while when valid ({@link VerifiedCredentials}); a valid sign-in upgrades an old hash. */
    private CredentialValidationResult check(UsernamePasswordCredential credential, HttpServletRequest request) {
        var user = credential.getCaller();
        var password = credential.getPasswordAsString();
        var remembered = verified.find(user, password);
        if (remembered.isPresent()) {
            throttle.succeeded(user, request.getRemoteAddr()); // a success resets, remembered or not
            return remembered.get();
        }
        var result = identityStore.validate(credential);
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            throttle.succeeded(user, request.getRemoteAddr());
            users.upgradeHash(user, password);
            verified.remember(user, password, result);
        } else {
            throttle.failed(user, request.getRemoteAddr());
        }
        return result;
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
        if (context.isAuthenticationRequest() && context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential credential) {
            var locked = throttle.lockedFor(credential.getCaller(), request.getRemoteAddr());
            if (locked.isPresent()) {
                request.setAttribute(LOCKED_SECONDS, Math.max(1, locked.get().toSeconds()));
                return AuthenticationStatus.SEND_FAILURE;
            }
            var result = check(credential, request);
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
