package io.flowretry.connectors.control;


import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes each mapped record as a JSON object with {@code PUT} (default) or {@code POST} to the
 * destination's {@code path}, {@code {id}} replaced by the URL-encoded source id, with the write's
 * {@code Idempotency-Key}. A 2xx answer is success; anything else is classified by {@link HttpFailures}.
 * A chunk's writes are sent concurrently, as many at once as the app's {@link HttpGate} lets through.
 */
final class HttpDestination implements DestinationConnector {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

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
        upsert(new Write(sourceId, record, null));
    }

    @Override
    public void upsert(Write write) throws ConnectorException {
        String target = HttpApp.path(path, write.sourceId());
        var response = app.send(method, target, Json.write(write.record()),
                write.idempotencyKey() == null ? Map.of() : Map.of(IDEMPOTENCY_KEY, write.idempotencyKey()));
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response, app.name() + " " + method + " " + target);
        }
    }

    @Override
    public List<ConnectorException> upsertAll(List<Write> writes) {
        return ConcurrentCalls.map(writes, write -> {
            try {
                upsert(write);
                return null;
            } catch (ConnectorException e) {
                return e;
            }
        });
    }

    @Override
    public void close() {
        // the HTTP client is shared
    }
}
