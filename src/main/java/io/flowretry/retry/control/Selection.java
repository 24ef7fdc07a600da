package io.flowretry.retry.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;
import java.util.Objects;

/**
 * What a retry run works on.
 * <ul>
 * <li>{@link Mode#DUE} (AUTO runs): the items due at the run's start, read in the due index's
 * order (next attempt, id).</li>
 * <li>{@link Mode#IDS} (MANUAL): the chosen items, whatever their status or auto tries, in id order.</li>
 * <li>{@link Mode#FILTER} (MANUAL): the items whose source id starts with {@code sourceIdPrefix}
 * (empty = all) and whose status is {@code status} (FAILED unless SUCCESS or DISCARDED is asked for
 * explicitly), whatever their auto tries, in source id order.</li>
 * </ul>
 * Stored on the run as JSON ({@link #toJson()}), so a restarted job reads the same selection.
 */
public record Selection(Mode mode, List<Long> itemIds, String sourceIdPrefix, String status) {

    public enum Mode { DUE, IDS, FILTER }

    public Selection {
        Objects.requireNonNull(mode, "mode");
        itemIds = itemIds == null ? List.of() : itemIds.stream().distinct().sorted().toList();
        sourceIdPrefix = sourceIdPrefix == null ? "" : sourceIdPrefix;
        status = status == null ? "FAILED" : status;
    }

    public static Selection due() {
        return new Selection(Mode.DUE, null, null, null);
    }

    public static Selection ids(List<Long> itemIds) {
        return new Selection(Mode.IDS, itemIds, null, null);
    }

    public static Selection filter(String sourceIdPrefix, String status) {
        return new Selection(Mode.FILTER, null, sourceIdPrefix, status);
    }

    /** {@code {"itemIds": [...]}}, {@code {"filter": {"sourceId", "status"}}} or {@code {"due": true}}. */
    public String toJson() {
        var json = Json.createObjectBuilder();
        switch (mode) {
            case DUE -> json.add("due", true);
            case IDS -> {
                var ids = Json.createArrayBuilder();
                itemIds.forEach(ids::add);
                json.add("itemIds", ids);
            }
            case FILTER -> json.add("filter", Json.createObjectBuilder().add("sourceId", sourceIdPrefix).add("status", status));
        }
        return json.build().toString();
    }

    public static Selection fromJson(String json) {
        if (json == null || json.isBlank()) {
            return due();
        }
        JsonObject o;
        try (var reader = Json.createReader(new StringReader(json))) {
            o = reader.readObject();
        }
        if (o.containsKey("itemIds")) {
            JsonArray ids = o.getJsonArray("itemIds");
            return ids(ids.getValuesAs(JsonValue.class).stream().map(v -> ((JsonNumber) v).longValue()).toList());
        }
        if (o.containsKey("filter")) {
            var f = o.getJsonObject("filter");
            return filter(f.getString("sourceId", ""), f.getString("status", "FAILED"));
        }
        return due();
    }

    /** The LIKE pattern of the source id prefix, with '!' as the escape character. */
    public String likePattern() {
        return sourceIdPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
