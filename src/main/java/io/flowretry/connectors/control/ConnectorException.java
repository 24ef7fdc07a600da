package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import io.flowretry.platform.control.ErrorTexts;

import java.util.Objects;

/**
 * A source or destination app failed for one record. The message names what failed (the app, the
 * table or path, the HTTP status with the start of the body, the SQL error) and is shown to
 * operators as the bucket record's last error; the class decides whether a retry can help.
 */
public class ConnectorException extends Exception {

    private final ErrorClass errorClass;

    public ConnectorException(ErrorClass errorClass, String message) {
        this(errorClass, message, null);
    }

    public ConnectorException(ErrorClass errorClass, String message, Throwable cause) {
        super(ErrorTexts.cut(message), cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
