package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads records from an HTTP/JSON app. {@code GET listPath} answers a JSON array of objects, or a
 * page {@code {"items": [...], "next": "/contacts?page=2"}} whose {@code next} (absent or null on
 * the last page) is followed. Each object's {@code idField} (default {@code id}) is its id; records
 * are returned in id order (numerically when both ids are integers). {@code GET itemPath} with
 * {@code {id}} reads one; 404 or 410 means the id is gone.
 */
final class HttpSource implements SourceConnector {

    /** Integer ids compare as numbers, everything else as text; the order of {@link #readAll}. */
    static final Comparator<String> ID_ORDER = (a, b) -> {
        if (a.matches("-?\\d{1,30}") && b.matches("-?\\d{1,30}")) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        return a.compareTo(b);
    };
    private static final int MAX_PAGES = 10_000;

    private final HttpApp app;
    private final String listPath;
    private final String itemPath;
    private final String idField;

    HttpSource(HttpApp app, SourceSpec source) {
        this.app = app;
        this.listPath = source.listPath();
        this.itemPath = source.itemPath();
        this.idField = source.idField() == null || source.idField().isBlank() ? "id" : source.idField();
    }

    @Override
    public RecordCursor readAll(String afterId) throws ConnectorException {
        List<SourceRecord> records = new ArrayList<>();
        String path = listPath;
        for (int page = 0; path != null && page < MAX_PAGES; page++) {
            JsonStructure body = getJson(path);
            JsonArray items;
            if (body instanceof JsonArray array) {
                items = array;
                path = null;
            } else if (body instanceof JsonObject object && object.get("items") instanceof JsonArray array) {
                items = array;
                path = object.get("next") instanceof JsonString next && !next.getString().isBlank() ? next.getString() : null;
            } else {
                throw new ConnectorException(ErrorClass.DATA, app.name() + " GET " + path + ": expected a JSON array of records");
            }
            for (JsonValue item : items) {
                if (item instanceof JsonObject object && object.containsKey(idField) && !object.isNull(idField)) {
                    var fields = Json.toMap(object);
                    String id = String.valueOf(fields.get(idField));
                    if (afterId == null || ID_ORDER.compare(id, afterId) > 0) {
                        records.add(new SourceRecord(id, fields));
                    }
                }
            }
        }
        records.sort(Comparator.comparing(SourceRecord::id, ID_ORDER));
        var iterator = records.iterator();
        return new RecordCursor() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public SourceRecord next() {
                return iterator.next();
            }

            @Override
            public void close() {
                // all in memory: nothing to release
            }
        };
    }

    @Override
    public Optional<Map<String, Object>> read(String id) throws ConnectorException {
        String path = HttpApp.path(itemPath, id);
        var response = app.send("GET", path, null);
        if (response.statusCode() == 404 || response.statusCode() == 410) {
            return Optional.empty();
        }
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response.statusCode(), response.body(), app.name() + " GET " + path);
        }
        if (parse(response.body(), path) instanceof JsonObject object) {
            return Optional.of(Json.toMap(object));
        }
        throw new ConnectorException(ErrorClass.DATA, app.name() + " GET " + path + ": expected a JSON object");
    }

    private JsonStructure getJson(String path) throws ConnectorException {
        var response = app.send("GET", path, null);
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response.statusCode(), response.body(), app.name() + " GET " + path);
        }
        return parse(response.body(), path);
    }

    private JsonStructure parse(String body, String path) throws ConnectorException {
        try {
            return Json.parse(body);
        } catch (JsonException e) {
            throw new ConnectorException(ErrorClass.DATA, app.name() + " GET " + path + ": not JSON (" + HttpFailures.start(body) + ")");
        }
    }

    @Override
    public void close() {
        // the HTTP client is shared
    }
}
