package io.flowretry.openapi.boundary;

import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi}: the document as YAML, or as JSON when the caller accepts
 * {@code application/json}; {@code ?format=json|yaml} overrides the Accept header. Open like /health: it holds no data, and
 * client generators fetch it without credentials. Built once; the code it describes does not change
 * while the WAR runs.
 */
@WebServlet("/openapi")
public class OpenApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient volatile JsonObject document;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var doc = document;
        if (doc == null) {
            document = doc = OpenApiDocument.build();
        }
        var accept = request.getHeader("Accept");
        var format = request.getParameter("format");
        boolean json = format != null ? format.equals("json")
                : accept != null && accept.contains("application/json") && !accept.contains("yaml");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType(json ? "application/json" : "application/yaml");
        response.getWriter().write(json ? doc.toString() : Yaml.of(doc));
    }
}
