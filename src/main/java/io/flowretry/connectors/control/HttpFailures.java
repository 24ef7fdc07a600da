package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/**
 * Classifies an HTTP answer: 2xx is success; 408, 429 and 5xx are {@code TRANSIENT} (the app is
 * busy or down: later may work); any other status is {@code DATA} (the app rejected this record).
 * No answer at all (refused, reset, timed out) is {@code TRANSIENT}. The text is
 * {@code HTTP 422: <the first 200 characters of the body>} followed by what was called.
 */
public final class HttpFailures {

    /** How much of a response body an error text quotes. */
    public static final int BODY_CHARS = 200;

    private HttpFailures() {
    }

    public static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    public static ErrorClass classify(int status) {
        return status == 408 || status == 429 || status >= 500 ? ErrorClass.TRANSIENT : ErrorClass.DATA;
    }

    /** @param call what was called, e.g. {@code ERP PUT /customers/7} */
    public static ConnectorException failure(int status, String body, String call) {
        return new ConnectorException(classify(status), "HTTP " + status + ": " + start(body) + " (" + call + ")");
    }

    static ConnectorException noAnswer(IOException e, String call) {
        String why = e instanceof HttpTimeoutException ? "timed out"
                : e instanceof java.net.ConnectException ? "connection refused"
                : "no answer";
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new ConnectorException(ErrorClass.TRANSIENT, call + ": " + why + " (" + detail + ")", e);
    }

    static String start(String body) {
        if (body == null) {
            return "";
        }
        String text = body.strip();
        return text.length() <= BODY_CHARS ? text : text.substring(0, BODY_CHARS);
    }
}
