package io.flowretry.connectors.entity;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP connection's headers as one JSON object text; null (or an empty object) means none. */
final class HeadersJson {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private HeadersJson() {
    }

    static String toJson(Map<String, String> headers) {
        return headers == null || headers.isEmpty() ? null : JSONB.toJson(headers);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> fromJson(String json) {
        var headers = new LinkedHashMap<String, String>();
        if (json != null && !json.isBlank()) {
            ((Map<String, Object>) JSONB.fromJson(json, LinkedHashMap.class))
                    .forEach((k, v) -> headers.put(k, v == null ? null : String.valueOf(v)));
        }
        return headers;
    }
}
