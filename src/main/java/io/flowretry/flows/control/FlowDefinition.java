package io.flowretry.flows.control;

import io.flowretry.connectors.control.DestinationSpec;
import io.flowretry.connectors.control.SourceSpec;
import io.flowretry.kernel.FieldError;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * What a process flow does, as stored in each flow version: its GET node (source), its mapping
 * and the node that writes the destination. A JDBC source names {@code table} and {@code idColumn};
 * an HTTP source {@code listPath}, {@code itemPath} (with {@code {id}}), {@code idField} and optional
 * {@code itemsPath} (with {@code {ids}}). A JDBC
 * destination names {@code table} and {@code keyColumn} (which holds the source id); an HTTP one
 * {@code path} (with {@code {id}}) and {@code method} (PUT or POST).
 */
public record FlowDefinition(Source source, List<MappingRule> mapping, Destination destination) {

    /** Created on first use, so that the structural checks need no JSON-B provider (plain unit tests). */
    private static final class Json {
        static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));
    }

    /** {@code itemsPath} (HTTP, optional): a path with {@code {ids}} that answers several records at once. */
    public record Source(String connection, String table, String idColumn, String listPath, String itemPath, String idField,
                         String itemsPath) {
        /** The source in the connectors' terms. */
        public SourceSpec spec() {
            return new SourceSpec(connection, table, idColumn, listPath, itemPath, idField, itemsPath);
        }
    }

    public record Destination(String connection, String table, String keyColumn, String path, String method) {
        /** The destination in the connectors' terms. */
        public DestinationSpec spec() {
            return new DestinationSpec(connection, table, keyColumn, path, method);
        }
    }

    public static FlowDefinition fromJson(String json) {
        return Json.JSONB.fromJson(json, FlowDefinition.class);
    }

    public String toJson() {
        return Json.JSONB.toJson(this);
    }

    /**
     * Structural problems, field names as in the REST payload ({@code source.table}, {@code mapping[2].pattern}).
     * Whether the named connections exist and fit (JDBC vs HTTP) is checked where connections are known.
     */
    public List<FieldError> problems() {
        var errors = new ArrayList<FieldError>();
        if (source == null || blank(source.connection())) {
            errors.add(new FieldError("source.connection", "is required"));
        }
        if (destination == null || blank(destination.connection())) {
            errors.add(new FieldError("destination.connection", "is required"));
        }
        if (destination != null && destination.method() != null
                && !List.of("PUT", "POST").contains(destination.method().toUpperCase())) {
            errors.add(new FieldError("destination.method", "must be PUT or POST"));
        }
        if (mapping == null || mapping.isEmpty()) {
            errors.add(new FieldError("mapping", "needs at least one rule"));
        } else {
            for (int i = 0; i < mapping.size(); i++) {
                if (mapping.get(i) == null) {
                    errors.add(new FieldError("mapping[" + i + "]", "must not be null"));
                }
            }
            if (errors.stream().noneMatch(e -> e.field().startsWith("mapping"))) {
                Mapper.validate(mapping).forEach(p -> errors.add(new FieldError("mapping", p)));
            }
        }
        return errors;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
