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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads records from an HTTP/JSON app. {@code GET listPath} answers a JSON array of objects, or a
 * page {@code {"items": [...], "next": "/contacts?page=2"}} whose {@code next} (absent or null on
 * the last page) is followed. Each object's {@code idField} (default {@code id}) is its id; records
 * are returned in id order (numerically when both ids are integers). {@code GET itemPath} with
 * {@code {id}} reads one; 404 or 410 means the id is gone. A chunk's ids are read concurrently (as many
 * at once as the app's {@link HttpGate} lets through), or, with {@code itemsPath} such as
 * {@code /contacts?ids={ids}}, {@value #IDS_PER_REQUEST} at a time with one {@code GET} answering their
 * records (an array, or a page's {@code items}; an id not in the answer is gone). When such a read fails,
 * its ids are read one by one.
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
    static final int IDS_PER_REQUEST = 100;

    private final HttpApp app;
    private final String listPath;
    private final String itemPath;
    private final String itemsPath;
    private final String idField;

    HttpSource(HttpApp app, SourceSpec source) {
        this.app = app;
        this.listPath = source.listPath();
        this.itemPath = source.itemPath();
        this.itemsPath = source.itemsPath() == null || source.itemsPath().isBlank() ? null : source.itemsPath();
        this.idField = source.idField() == null || source.idField().isBlank() ? "id" : source.idField();
    }

    @Override
    public RecordCursor readAll(String afterId) throws ConnectorException {
        List<SourceRecord> records = new ArrayList<>();
        String path = listPath;
        for (int page = 0; path != null && page < MAX_PAGES; page++) {
            JsonStructure body = getJson(path);
            JsonArray items = items(body, path);
            path = body instanceof JsonObject object && object.get("next") instanceof JsonString next
                    && !next.getString().isBlank() ? next.getString() : null;
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
            throw HttpFailures.failure(response, app.name() + " GET " + path);
        }
        if (parse(response.body(), path) instanceof JsonObject object) {
            return Optional.of(Json.toMap(object));
        }
        throw new ConnectorException(ErrorClass.DATA, app.name() + " GET " + path + ": expected a JSON object");
    }

    private JsonArray items(JsonStructure body, String path) throws ConnectorException {
        if (body instanceof JsonArray array) {
            return array;
        }
        if (body instanceof JsonObject object && object.get("items") instanceof JsonArray array) {
            return array;
        }
        throw new ConnectorException(ErrorClass.DATA, app.name() + " GET " + path + ": expected a JSON array of records");
    }

    @Override
    public List<Read> readEach(List<String> ids) {
        if (itemsPath == null) {
            return ConcurrentCalls.map(ids, id -> Read.of(id, this));
        }
        List<List<String>> slices = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_REQUEST) {
            slices.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQUEST)));
        }
        return ConcurrentCalls.map(slices, this::readSlice).stream().flatMap(List::stream).toList();
    }

    private List<Read> readSlice(List<String> ids) {
        Map<String, Map<String, Object>> found;
        try {
            found = readMany(ids);
        } catch (ConnectorException | RuntimeException e) {
            return ConcurrentCalls.map(ids, id -> Read.of(id, this));
        }
        return ids.stream().map(id -> new Read(found.get(id), null)).toList();
    }

    /** With {@code itemsPath}: one {@code GET} for the ids (keep them to {@value #IDS_PER_REQUEST}); else one per id. */
    @Override
    public Map<String, Map<String, Object>> readMany(List<String> ids) throws ConnectorException {
        if (itemsPath == null) {
            return SourceConnector.super.readMany(ids);
        }
        String path = itemsPath.replace("{ids}", String.join(",", ids.stream().map(HttpApp::encode).toList()));
        var wanted = new HashSet<>(ids);
        Map<String, Map<String, Object>> found = HashMap.newHashMap(ids.size());
        for (JsonValue item : items(getJson(path), path)) {
            if (item instanceof JsonObject object && object.containsKey(idField) && !object.isNull(idField)) {
                var fields = Json.toMap(object);
                String id = String.valueOf(fields.get(idField));
                if (wanted.contains(id)) {
                    found.put(id, fields);
                }
            }
        }
        return found;
    }

    private JsonStructure getJson(String path) throws ConnectorException {
        var response = app.send("GET", path, null);
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response, app.name() + " GET " + path);
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
