package io.flowretry.snapshots.control;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON form of a snapshot's payloads (a record's input and output).
 * <ul>
 * <li>Strings, numbers and booleans keep their JSON type, nested maps and collections become
 * objects and arrays, anything else (dates, byte arrays…) its {@code toString()}.</li>
 * <li>A payload over {@link #MAX_BYTES} (64 KiB of UTF-8) is replaced by the marker
 * {@code {"_truncated": true, "size": <bytes>, "preview": "<the first 4096 characters>"}}.</li>
 * <li>{@code null} stays {@code null} (nothing was read or written).</li>
 * </ul>
 */
public final class Payloads {

    /** Payloads bigger than this (UTF-8 bytes of their JSON) are cut. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Characters of the original JSON kept in a cut payload's preview. */
    public static final int PREVIEW_CHARS = 4096;

    /** Looked up once: every {@code Json.createXxx} call looks the provider up again (a ServiceLoader scan). */
    private static final JsonProvider JSON = JsonProvider.provider();

    private Payloads() {
    }

    /** The payload as stored: its JSON, or the truncation marker when it is too big. */
    public static String toStoredJson(Map<String, ?> payload) {
        if (payload == null) {
            return null;
        }
        String json = object(payload).build().toString();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_BYTES) {
            return json;
        }
        return JSON.createObjectBuilder()
                .add("_truncated", true)
                .add("size", bytes)
                .add("preview", json.substring(0, Math.min(PREVIEW_CHARS, json.length())))
                .build().toString();
    }

    /** Parses a stored payload back; {@code null} for none. */
    public static JsonValue parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return JsonValue.NULL;
        }
        try (var reader = JSON.createReader(new StringReader(stored))) {
            return reader.readValue();
        }
    }

    /** Parses a stored JSON object; an empty object for none. */
    public static JsonObject parseObject(String stored) {
        var value = parse(stored);
        return value instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    }

    /** Cuts a text to a column's length. */
    public static String cut(String text, int maxChars) {
        return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars);
    }

    private static JsonObjectBuilder object(Map<?, ?> map) {
        var builder = JSON.createObjectBuilder();
        map.forEach((key, value) -> builder.add(String.valueOf(key), value(value)));
        return builder;
    }

    private static JsonArrayBuilder array(Collection<?> values) {
        var builder = JSON.createArrayBuilder();
        values.forEach(v -> builder.add(value(v)));
        return builder;
    }

    private static JsonValue value(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> JSON.createValue(i);
            case Long l -> JSON.createValue(l);
            case Short s -> JSON.createValue(s.intValue());
            case Byte b -> JSON.createValue(b.intValue());
            case BigDecimal d -> JSON.createValue(d);
            case BigInteger i -> JSON.createValue(i);
            case Double d when d.isNaN() || d.isInfinite() -> JSON.createValue(d.toString());
            case Float f when f.isNaN() || f.isInfinite() -> JSON.createValue(f.toString());
            case Number n -> JSON.createValue(new BigDecimal(n.toString()));
            case Map<?, ?> m -> object(m).build();
            case Collection<?> c -> array(c).build();
            case JsonValue j -> j;
            default -> JSON.createValue(value.toString());
        };
    }
}
