package io.flowretry.metrics.boundary;

import io.flowretry.metrics.control.Metrics;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: Prometheus text format 0.0.4. web.xml lets the roles metrics and admin in. */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Metrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var text = metrics.scrape();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType("text/plain; version=0.0.4");
        response.getWriter().write(text);
    }
}
