package io.flowretry.openapi.boundary;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.regex.Pattern;

/** Writes a JSON tree as block YAML: the same document, in the format most OpenAPI tools show by default. */
public final class Yaml {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./{}-]*");

    private Yaml() {
    }

    public static String of(JsonValue value) {
        var out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    private static void write(JsonValue value, int indent, StringBuilder out) {
        if (value instanceof JsonObject o && !o.isEmpty()) {
            o.forEach((key, v) -> {
                out.append(" ".repeat(indent)).append(scalar(key)).append(':');
                block(v, indent + 2, out);
            });
        } else if (value instanceof JsonArray a && !a.isEmpty()) {
            for (JsonValue v : a) {
                out.append(" ".repeat(indent)).append('-');
                block(v, indent + 2, out);
            }
        } else {
            out.append(" ".repeat(indent)).append(inline(value)).append('\n');
        }
    }

    /** A value after "key:" or "-": nested blocks on the next lines, scalars and empty collections inline. */
    private static void block(JsonValue v, int indent, StringBuilder out) {
        boolean nested = (v instanceof JsonObject o && !o.isEmpty()) || (v instanceof JsonArray a && !a.isEmpty());
        if (nested) {
            out.append('\n');
            write(v, indent, out);
        } else {
            out.append(' ').append(inline(v)).append('\n');
        }
    }

    private static String inline(JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT -> "{}";
            case ARRAY -> "[]";
            case STRING -> scalar(((JsonString) v).getString());
            default -> v.toString();
        };
    }

    /** Plain where YAML cannot misread it (no true/null/number look-alikes), else a JSON string, which is valid YAML. */
    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !s.matches("(?i)true|false|null|yes|no|on|off|y|n|~")) {
            return s;
        }
        return jakarta.json.Json.createValue(s).toString();
    }
}
