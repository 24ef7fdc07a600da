package io.flowretry.connectors.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retry-After as seconds or an HTTP date, carried in the failure's text; the outage reason's wording. */
class RetryAfterTest {

    @Test
    void retry_after_seconds_and_http_dates_are_read_and_the_text_carries_them() {
        assertEquals(Optional.of(120L), HttpFailures.seconds(" 120 "));
        assertEquals(Optional.empty(), HttpFailures.seconds("soon"));
        long inAMinute = HttpFailures.seconds(ZonedDateTime.now().plusSeconds(65).format(DateTimeFormatter.RFC_1123_DATE_TIME)).orElseThrow();
        assertTrue(inAMinute >= 60 && inAMinute <= 65, "was " + inAMinute);
        assertEquals(Optional.of(Duration.ofSeconds(120)), HttpFailures.retryAfter("HTTP 429: slow (ERP PUT /c/1); Retry-After 120 s"));
        assertEquals(Optional.empty(), HttpFailures.retryAfter("HTTP 503: busy (ERP PUT /c/1)"));
    }

    @Test
    void the_reason_names_the_app_and_the_cause() {
        assertEquals("ERP unreachable: connection refused",
                Breaker.reason("ERP", "ERP PUT /customers/7: connection refused (java.net.ConnectException)"));
        assertEquals("ERP unreachable: timed out", Breaker.reason("ERP", "ERP PUT /customers/7: timed out (request timed out)"));
        assertEquals("ERP unreachable: HTTP 503", Breaker.reason("ERP", "HTTP 503: busy (ERP PUT /customers/7)"));
        assertEquals("ERP unreachable: HTTP 429 (Retry-After 60 s)", Breaker.reason("ERP", "HTTP 429: slow (ERP PUT /c/1); Retry-After 60 s"));
        assertEquals("CRM unreachable: connection refused",
                Breaker.reason("CRM", "CRM: reading: Connection to 127.0.0.1:1 refused. Check that the hostname and port are correct (SQLState 08001)"));
    }
}
