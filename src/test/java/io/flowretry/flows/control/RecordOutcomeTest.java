package io.flowretry.flows.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.control.ErrorTexts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordOutcomeTest {

    @Test
    void a_long_error_is_cut_before_it_is_stored_anywhere() {
        var huge = "x".repeat(200_000);
        var outcome = RecordOutcome.failed("7", ErrorClass.TRANSIENT, "unexpected: " + huge, null, null);
        assertEquals(ErrorTexts.MAX + 1, outcome.error().length());
        assertTrue(outcome.error().startsWith("unexpected: x") && outcome.error().endsWith("…"));
        assertEquals("short", RecordOutcome.failed("7", ErrorClass.DATA, "short", null, null).error());
        assertNull(RecordOutcome.succeeded("7", null, null).error());
    }
}
