package io.flowretry.flows.control;

import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.kernel.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks that a {@link FlowDefinition} fits the connections it names, and normalises it for storage.
 * <ul>
 * <li>Both connections must exist ({@code source.connection}, {@code destination.connection}).</li>
 * <li>JDBC source: {@code table} and {@code idColumn}; HTTP source: {@code listPath}, {@code itemPath}
 * (containing {@code {id}}) and {@code idField}; optional {@code itemsPath} (containing {@code {ids}}).</li>
 * <li>JDBC destination: {@code table} and {@code keyColumn}, and every mapping target is a column;
 * HTTP destination: {@code path}, {@code method} PUT (default) or POST.</li>
 * <li>Table and column names end up in SQL, so they must be plain identifiers {@value #IDENTIFIER}.</li>
 * </ul>
 */
public final class FlowFit {

    public static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
    private static final Pattern IDENT = Pattern.compile(IDENTIFIER);

    private FlowFit() {
    }

    /**
     * @param typeOf the type of the connection with that name, empty when there is none
     * @return every problem, field names as in the REST payload; empty = fine
     */
    public static List<FieldError> problems(FlowDefinition definition, Function<String, Optional<ConnectionType>> typeOf) {
        var errors = new ArrayList<>(definition.problems());
        var source = definition.source();
        if (source != null && !blank(source.connection())) {
            var type = typeOf.apply(source.connection().trim());
            if (type.isEmpty()) {
                errors.add(new FieldError("source.connection", "no connection named " + source.connection().trim()));
            } else if (type.get() == ConnectionType.JDBC) {
                identifier(source.table(), "source.table", errors);
                identifier(source.idColumn(), "source.idColumn", errors);
            } else {
                path(source.listPath(), "source.listPath", errors);
                path(source.itemPath(), "source.itemPath", errors);
                if (!blank(source.itemsPath())) {
                    path(source.itemsPath(), "source.itemsPath", errors);
                }
                // itemPath names one id, the optional itemsPath several
                for (var template : List.of(new String[]{source.itemPath(), "itemPath", "{id}"},
                        new String[]{source.itemsPath(), "itemsPath", "{ids}"})) {
                    if (!blank(template[0]) && !template[0].contains(template[2])) {
                        errors.add(new FieldError("source." + template[1], "must contain " + template[2]));
                    }
                }
                required(source.idField(), "source.idField", errors);
            }
        }
        var destination = definition.destination();
        if (destination != null && !blank(destination.connection())) {
            var type = typeOf.apply(destination.connection().trim());
            if (type.isEmpty()) {
                errors.add(new FieldError("destination.connection", "no connection named " + destination.connection().trim()));
            } else if (type.get() == ConnectionType.JDBC) {
                identifier(destination.table(), "destination.table", errors);
                identifier(destination.keyColumn(), "destination.keyColumn", errors);
                targetsAreColumns(definition.mapping(), errors);
            } else {
                path(destination.path(), "destination.path", errors);
            }
        }
        return errors;
    }

    /**
     * The definition as stored: names trimmed, only the fields of the connection type kept, the
     * HTTP destination's method upper-case (PUT when not given). Call only after {@link #problems} is empty.
     */
    public static FlowDefinition normalized(FlowDefinition d, Function<String, Optional<ConnectionType>> typeOf) {
        var s = d.source();
        var sourceName = s.connection().trim();
        var source = typeOf.apply(sourceName).orElseThrow() == ConnectionType.JDBC
                ? new FlowDefinition.Source(sourceName, s.table().trim(), s.idColumn().trim(), null, null, null, null)
                : new FlowDefinition.Source(sourceName, null, null, s.listPath().trim(), s.itemPath().trim(), s.idField().trim(),
                blank(s.itemsPath()) ? null : s.itemsPath().trim());
        var t = d.destination();
        var destinationName = t.connection().trim();
        var destination = typeOf.apply(destinationName).orElseThrow() == ConnectionType.JDBC
                ? new FlowDefinition.Destination(destinationName, t.table().trim(), t.keyColumn().trim(), null, null)
                : new FlowDefinition.Destination(destinationName, null, null, t.path().trim(),
                t.method() == null ? "PUT" : t.method().trim().toUpperCase(Locale.ROOT));
        return new FlowDefinition(source, List.copyOf(d.mapping()), destination);
    }

    private static void targetsAreColumns(List<MappingRule> mapping, List<FieldError> errors) {
        if (mapping == null) {
            return;
        }
        for (int i = 0; i < mapping.size(); i++) {
            var rule = mapping.get(i);
            if (rule != null && rule.target() != null && !IDENT.matcher(rule.target()).matches()) {
                errors.add(new FieldError("mapping[" + i + "].target", "must be a plain column name " + IDENTIFIER));
            }
        }
    }

    private static void identifier(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            errors.add(new FieldError(field, "is required"));
        } else if (!IDENT.matcher(value.trim()).matches()) {
            errors.add(new FieldError(field, "must be a plain SQL identifier " + IDENTIFIER));
        }
    }

    private static void path(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            errors.add(new FieldError(field, "is required"));
        } else if (!value.trim().startsWith("/") || value.chars().anyMatch(Character::isWhitespace)) {
            errors.add(new FieldError(field, "must be a path starting with / and without spaces"));
        }
    }

    private static void required(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
