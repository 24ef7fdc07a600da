package io.flowretry.connectors.control;


import java.util.Locale;
import java.util.Map;

/**
 * Writes each mapped record as a JSON object with {@code PUT} (default) or {@code POST} to the
 * destination's {@code path}, {@code {id}} replaced by the URL-encoded source id. A 2xx answer is
 * success; anything else is classified by {@link HttpFailures}.
 */
final class HttpDestination implements DestinationConnector {

    private final HttpApp app;
    private final String path;
    private final String method;

    HttpDestination(HttpApp app, DestinationSpec destination) {
        this.app = app;
        this.path = destination.path();
        this.method = destination.method() == null || destination.method().isBlank()
                ? "PUT" : destination.method().trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public void upsert(String sourceId, Map<String, Object> record) throws ConnectorException {
        String target = HttpApp.path(path, sourceId);
        var response = app.send(method, target, Json.write(record));
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response.statusCode(), response.body(), app.name() + " " + method + " " + target);
        }
    }

    @Override
    public void close() {
        // the HTTP client is shared
    }
}
