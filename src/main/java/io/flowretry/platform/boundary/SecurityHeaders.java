package io.flowretry.platform.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Headers on every response: {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: same-origin},
 * {@code X-Frame-Options: DENY}. Responses that are not console pages (the API, health, resources) also
 * get {@value #NOTHING_POLICY} as their Content-Security-Policy; console pages get theirs from PrimeFaces'
 * CSP mode ({@code primefaces.CSP} in web.xml: scripts only from this server or with the page's nonce).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    static final String NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Frame-Options", "DENY");
        var path = request.getRequestURI().substring(request.getContextPath().length());
        if (!isPage(path)) {
            response.setHeader("Content-Security-Policy", NOTHING_POLICY);
        }
        chain.doFilter(request, response);
    }

    /** Faces pages (and the welcome page) carry PrimeFaces' own policy with a nonce. */
    private static boolean isPage(String path) {
        return path.isEmpty() || path.equals("/") || path.endsWith(".xhtml");
    }
}
