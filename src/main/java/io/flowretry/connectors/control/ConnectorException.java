package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.util.Objects;

/**
 * A source or destination app failed for one record. The message names what failed (the app, the
 * table or path, the HTTP status with the start of the body, the SQL error) and is shown to
 * operators as the bucket record's last error; the class decides whether a retry can help.
 */
public class ConnectorException extends Exception {

    /** Longest message kept; the bucket's error column holds 4000 characters. */
    static final int MAX_MESSAGE = 1000;

    private final ErrorClass errorClass;

    public ConnectorException(ErrorClass errorClass, String message) {
        this(errorClass, message, null);
    }

    public ConnectorException(ErrorClass errorClass, String message, Throwable cause) {
        super(cut(message), cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    static String cut(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
