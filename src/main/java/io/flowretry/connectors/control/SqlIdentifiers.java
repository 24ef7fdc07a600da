package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.util.regex.Pattern;

/**
 * Table and column names of a flow end up in SQL text, so they must be plain identifiers:
 * {@code [A-Za-z_][A-Za-z0-9_]*}, at most 128 characters. They are written unquoted, so each
 * database applies its own case rule (H2 upper-cases, PostgreSQL lower-cases).
 */
public final class SqlIdentifiers {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private SqlIdentifiers() {
    }

    public static boolean valid(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** @throws ConnectorException (DATA) naming the app, what the name is for and the name */
    static String require(String app, String what, String name) throws ConnectorException {
        if (!valid(name)) {
            throw new ConnectorException(ErrorClass.DATA,
                    app + ": invalid " + what + " name \"" + name + "\" (letters, digits and _ only)");
        }
        return name;
    }
}
