package io.flowretry.connectors.control;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to plain Java values and back (JSON-P): objects are {@code Map}s, arrays {@code List}s,
 * integral numbers {@code Long} (or {@code BigInteger}), other numbers {@code BigDecimal}. Other
 * Java values (dates, times) are written as their {@code toString()}.
 */
final class Json {

    private Json() {
    }

    static JsonStructure parse(String text) {
        try (var reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.read();
        }
    }

    static Object toJava(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> number((JsonNumber) value);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
            case OBJECT -> toMap((JsonObject) value);
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(v -> list.add(toJava(v)));
                yield list;
            }
        };
    }

    static Map<String, Object> toMap(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((k, v) -> map.put(k, toJava(v)));
        return map;
    }

    static String write(Object value) {
        return toJson(value).toString();
    }

    static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return jakarta.json.Json.createValue(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return jakarta.json.Json.createValue(i);
        }
        if (value instanceof BigDecimal d) {
            return jakarta.json.Json.createValue(d);
        }
        if (value instanceof Number n) {
            return jakarta.json.Json.createValue(n.doubleValue());
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder builder = jakarta.json.Json.createObjectBuilder();
            map.forEach((k, v) -> builder.add(String.valueOf(k), toJson(v)));
            return builder.build();
        }
        if (value instanceof Iterable<?> items) {
            JsonArrayBuilder builder = jakarta.json.Json.createArrayBuilder();
            items.forEach(v -> builder.add(toJson(v)));
            return builder.build();
        }
        return jakarta.json.Json.createValue(value.toString());
    }

    private static Object number(JsonNumber n) {
        if (n.isIntegral()) {
            BigInteger i = n.bigIntegerValue();
            return i.bitLength() < 64 ? (Object) i.longValue() : i;
        }
        return n.bigDecimalValue();
    }
}
