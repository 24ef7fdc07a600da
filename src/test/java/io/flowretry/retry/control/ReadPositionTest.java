package io.flowretry.retry.control;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The read position as a run's row stores it (retry_runs.read_position). */
class ReadPositionTest {

    @Test
    void a_stored_position_reads_back_as_it_was_even_with_the_separator_in_the_source_id() {
        var position = new ReadPosition(Instant.parse("2026-11-29T14:20:00.123456Z"), 4711, "crm|42|x");
        assertEquals("2026-11-29T14:20:00.123456Z|4711|crm|42|x", position.text());
        assertEquals(position, ReadPosition.parse(position.text()));
    }

    @Test
    void a_run_without_a_committed_chunk_starts_at_the_start() {
        assertEquals(ReadPosition.START, ReadPosition.parse(null));
        assertEquals(ReadPosition.START, ReadPosition.parse(ReadPosition.START.text()));
    }

    @Test
    void text_of_something_else_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> ReadPosition.parse("4711"));
    }
}
