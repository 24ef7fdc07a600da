package io.flowretry.connectors.control;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls to one HTTP app: its base URL joined with a flow's path ({@code {id}} URL-encoded), its
 * headers on every request, JSON accepted, the request time-out of {@link Connectors}.
 */
final class HttpApp {

    private final ConnectionDetails app;
    private final HttpClient client;
    private final Duration requestTimeout;

    HttpApp(ConnectionDetails app, HttpClient client, Duration requestTimeout) {
        this.app = app;
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    String name() {
        return app.name();
    }

    /** The path with {@code {id}} replaced by the URL-encoded id. */
    static String path(String template, String id) {
        String path = template == null ? "" : template;
        if (id != null) {
            path = path.replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path;
    }

    URI uri(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        String base = app.baseUrl().endsWith("/") ? app.baseUrl().substring(0, app.baseUrl().length() - 1) : app.baseUrl();
        return URI.create(base + (path.startsWith("/") || path.isEmpty() ? path : "/" + path));
    }

    /** Sends; an IOException or time-out becomes a TRANSIENT failure naming the call. */
    HttpResponse<String> send(String method, String path, String jsonBody) throws ConnectorException {
        String call = app.name() + " " + method + " " + path;
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri(path)).timeout(requestTimeout).header("Accept", "application/json");
            app.headers().forEach(request::header);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(io.flowretry.kernel.ErrorClass.DATA, call + ": invalid URL or header (" + e.getMessage() + ")");
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw HttpFailures.noAnswer(e, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(io.flowretry.kernel.ErrorClass.TRANSIENT, call + ": interrupted");
        }
    }
}
