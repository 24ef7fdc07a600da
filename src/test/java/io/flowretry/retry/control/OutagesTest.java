package io.flowretry.retry.control;

import io.flowretry.connectors.control.Breaker.Signal;
import io.flowretry.flows.control.RecordOutcome;
import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which app an outcome's failure is, what each app's breaker is told, and which failures an outage caused. */
class OutagesTest {

    private static final Map<String, Object> IN = Map.of("id", "1");
    private static final Map<String, Object> OUT = Map.of("email", "a@b");

    private static RecordOutcome ok() {
        return RecordOutcome.succeeded("1", IN, OUT);
    }

    private static RecordOutcome writeFailed(ErrorClass c) {
        return RecordOutcome.failed("1", c, "ERP PUT /customers/1: connection refused", IN, OUT);
    }

    private static RecordOutcome readFailed(ErrorClass c) {
        return RecordOutcome.failed("1", c, "CRM GET /contacts/1: HTTP 503: busy", null, null);
    }

    private static RecordOutcome mappingFailed() {
        return RecordOutcome.failed("1", ErrorClass.DATA, "email: required", IN, null);
    }

    @Test
    void the_failed_app_is_read_from_what_the_outcome_carries() {
        assertNull(Outages.failedAt(ok()));
        assertNull(Outages.failedAt(mappingFailed()));
        assertEquals(Outages.Side.DESTINATION, Outages.failedAt(writeFailed(ErrorClass.TRANSIENT)));
        assertEquals(Outages.Side.SOURCE, Outages.failedAt(readFailed(ErrorClass.TRANSIENT)));
        assertEquals(Outages.Side.SOURCE, Outages.failedAt(RecordOutcome.failed("1", ErrorClass.SOURCE_MISSING, "gone", null, null)));
    }

    @Test
    void each_app_is_told_its_failures_and_answers_in_order_and_data_failures_are_answers() {
        var outcomes = List.of(ok(), writeFailed(ErrorClass.TRANSIENT), writeFailed(ErrorClass.DATA), mappingFailed(),
                readFailed(ErrorClass.TRANSIENT), RecordOutcome.failed("1", ErrorClass.SOURCE_MISSING, "gone", null, null));
        assertEquals(List.of(Signal.Kind.ANSWERED, Signal.Kind.UNREACHABLE, Signal.Kind.ANSWERED),
                Outages.signals(outcomes, Outages.Side.DESTINATION).stream().map(Signal::kind).toList());
        assertEquals(List.of(Signal.Kind.ANSWERED, Signal.Kind.ANSWERED, Signal.Kind.ANSWERED, Signal.Kind.ANSWERED,
                        Signal.Kind.UNREACHABLE, Signal.Kind.ANSWERED),
                Outages.signals(outcomes, Outages.Side.SOURCE).stream().map(Signal::kind).toList());
    }

    @Test
    void a_retry_after_in_the_text_is_a_back_off_for_that_long() {
        var backOff = RecordOutcome.failed("1", ErrorClass.TRANSIENT, "HTTP 429: slow down (ERP PUT /customers/1); Retry-After 90 s", IN, OUT);
        var signal = Outages.signals(List.of(backOff), Outages.Side.DESTINATION).getFirst();
        assertEquals(Signal.Kind.BACKOFF, signal.kind());
        assertEquals(Duration.ofSeconds(90), signal.retryAfter());
    }

    @Test
    void an_outage_caused_the_transient_failures_of_the_down_app_after_its_last_answer_only() {
        var outcomes = List.of(writeFailed(ErrorClass.TRANSIENT), ok(), mappingFailed(), writeFailed(ErrorClass.TRANSIENT),
                readFailed(ErrorClass.DATA), writeFailed(ErrorClass.TRANSIENT));
        assertEquals(Set.of(3, 5), Outages.causedBy(outcomes, List.of(Outages.Side.DESTINATION)));
        assertEquals(Set.of(), Outages.causedBy(outcomes, List.of(Outages.Side.SOURCE)));
        var allDown = List.of(writeFailed(ErrorClass.TRANSIENT), writeFailed(ErrorClass.TRANSIENT), writeFailed(ErrorClass.TRANSIENT));
        assertEquals(Set.of(0, 1, 2), Outages.causedBy(allDown, List.of(Outages.Side.DESTINATION)));
    }
}
