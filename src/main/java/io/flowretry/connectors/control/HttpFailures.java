package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/**
 * Classifies an HTTP answer: 2xx is success; 408, 429 and 5xx are {@code TRANSIENT} (the app is
 * busy or down: later may work); any other status is {@code DATA} (the app rejected this record).
 * No answer at all (refused, reset, timed out) is {@code TRANSIENT}. The text is
 * {@code HTTP 422: <the first 200 characters of the body>} followed by what was called; a 429 or
 * 503 with a {@code Retry-After} (seconds or an HTTP date) ends with {@code ; Retry-After N s}, which
 * the retry runs read to back the app off ({@link #retryAfter(String)}).
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

    /** {@link #failure(int, String, String)} of a response, with its {@code Retry-After} on a 429 or 503. */
    public static ConnectorException failure(java.net.http.HttpResponse<String> response, String call) {
        var failure = failure(response.statusCode(), response.body(), call);
        int status = response.statusCode();
        if (status != 429 && status != 503) {
            return failure;
        }
        return response.headers().firstValue("Retry-After").flatMap(HttpFailures::seconds)
                .map(s -> new ConnectorException(failure.errorClass(), failure.getMessage() + RETRY_AFTER + s + " s"))
                .orElse(failure);
    }

    private static final String RETRY_AFTER = "; Retry-After ";
    private static final java.util.regex.Pattern RETRY_AFTER_TEXT = java.util.regex.Pattern.compile("; Retry-After (\\d{1,9}) s$");

    /** The back-off an error text of {@link #failure(java.net.http.HttpResponse, String)} asks for, if any. */
    public static java.util.Optional<java.time.Duration> retryAfter(String error) {
        if (error == null) {
            return java.util.Optional.empty();
        }
        var m = RETRY_AFTER_TEXT.matcher(error);
        return m.find() ? java.util.Optional.of(java.time.Duration.ofSeconds(Long.parseLong(m.group(1)))) : java.util.Optional.empty();
    }

    /** A {@code Retry-After} value in seconds: delta-seconds, or an HTTP date from now. */
    static java.util.Optional<Long> seconds(String value) {
        String v = value.strip();
        try {
            return java.util.Optional.of(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                var at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return java.util.Optional.of(Math.max(0, java.time.Duration.between(java.time.Instant.now(), at).toSeconds()));
            } catch (java.time.format.DateTimeParseException e) {
                return java.util.Optional.empty();
            }
        }
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
