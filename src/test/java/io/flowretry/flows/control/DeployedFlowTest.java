package io.flowretry.flows.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.DestinationConnector;
import io.flowretry.connectors.control.DestinationConnector.Write;
import io.flowretry.connectors.control.IdempotencyKey;
import io.flowretry.connectors.control.RecordCursor;
import io.flowretry.connectors.control.SourceConnector;
import io.flowretry.connectors.control.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeployedFlowTest {

    private final Map<String, Map<String, Object>> sourceRows = new HashMap<>();
    private final Map<String, Map<String, Object>> written = new HashMap<>();
    private ConnectorException nextWriteFailure;
    private ConnectorException readManyFailure;
    private final List<String> calls = new ArrayList<>();

    private final SourceConnector source = new SourceConnector() {
        @Override
        public RecordCursor readAll(String afterId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Map<String, Object>> read(String id) {
            calls.add("read " + id);
            return Optional.ofNullable(sourceRows.get(id));
        }

        @Override
        public Map<String, Map<String, Object>> readMany(List<String> ids) throws ConnectorException {
            calls.add("readMany " + ids);
            if (readManyFailure != null) {
                throw readManyFailure;
            }
            var found = new HashMap<String, Map<String, Object>>();
            ids.stream().filter(sourceRows::containsKey).forEach(id -> found.put(id, sourceRows.get(id)));
            return found;
        }

        @Override
        public void close() {
        }
    };

    private final List<String> keys = new ArrayList<>();

    private final DestinationConnector destination = new DestinationConnector() {
        @Override
        public void upsert(Write write) throws ConnectorException {
            keys.add(write.idempotencyKey());
            upsert(write.sourceId(), write.record());
        }

        @Override
        public void upsert(String sourceId, Map<String, Object> record) throws ConnectorException {
            calls.add("upsert " + sourceId);
            if (nextWriteFailure != null) {
                throw nextWriteFailure;
            }
            if (sourceId.equals("rejected")) {
                throw new ConnectorException(ErrorClass.DATA, "ERP customers: writing source_id rejected: check failed");
            }
            written.put(sourceId, record);
        }

        @Override
        public void close() {
        }
    };

    private final DeployedFlow flow = new DeployedFlow(41, "CRM", 3, new Mapper(List.of(
            new MappingRule("email", "email", null, true, "^[^@]+@[^@]+$"),
            new MappingRule("name", "full_name", null, true, null))), source, destination);

    @Test
    void a_valid_record_is_mapped_and_written() {
        var outcome = process(new SourceRecord("1", Map.of("email", "a@b", "full_name", "Ann")));
        assertTrue(outcome.success());
        assertEquals(Map.of("email", "a@b", "name", "Ann"), written.get("1"));
        assertEquals(Map.of("email", "a@b", "name", "Ann"), outcome.output());
    }

    @Test
    void a_failed_rule_is_a_data_error_naming_the_field_and_nothing_is_written() {
        var outcome = process(new SourceRecord("2", Map.of("email", "nope", "full_name", "Bob")));
        assertFalse(outcome.success());
        assertEquals(ErrorClass.DATA, outcome.errorClass());
        assertTrue(outcome.error().startsWith("email: \"nope\" does not match pattern"), outcome.error());
        assertNull(outcome.output());
        assertTrue(written.isEmpty());
    }

    @Test
    void a_destination_failure_keeps_its_class() {
        nextWriteFailure = new ConnectorException(ErrorClass.TRANSIENT, "HTTP 503: busy (ERP PUT /customers/3)");
        var outcome = process(new SourceRecord("3", Map.of("email", "c@d", "full_name", "Cy")));
        assertEquals(ErrorClass.TRANSIENT, outcome.errorClass());
        assertEquals("HTTP 503: busy (ERP PUT /customers/3)", outcome.error());
        assertEquals(Map.of("email", "c@d", "name", "Cy"), outcome.output());
    }

    @Test
    void resync_rereads_by_id_and_a_gone_record_is_source_missing() {
        sourceRows.put("4", Map.of("email", "e@f", "full_name", "Di"));
        assertTrue(resync("4").success());
        var gone = resync("5");
        assertEquals(ErrorClass.SOURCE_MISSING, gone.errorClass());
        assertEquals("CRM: record 5 is no longer in the source", gone.error());
        assertEquals("CRM", flow.nodeName());
        assertEquals(3, flow.flowVersion());
    }

    @Test
    void resync_all_reads_the_chunk_once_and_gives_each_id_its_own_outcome_in_order() {
        sourceRows.put("10", Map.of("email", "a@b", "full_name", "Ann"));
        sourceRows.put("11", Map.of("email", "broken", "full_name", "Bob"));
        sourceRows.put("rejected", Map.of("email", "r@s", "full_name", "Rex"));
        sourceRows.put("13", Map.of("email", "c@d", "full_name", "Cy"));

        var outcomes = flow.resyncAll(List.of("10", "11", "gone", "rejected", "13"), List.of("try-1", "try-1", "try-1", "try-1", "try-1"));

        assertEquals(List.of("10", "11", "gone", "rejected", "13"), outcomes.stream().map(RecordOutcome::sourceId).toList());
        assertEquals(List.of(true, false, false, false, true), outcomes.stream().map(RecordOutcome::success).toList());
        assertEquals(ErrorClass.DATA, outcomes.get(1).errorClass());
        assertNull(outcomes.get(1).output());
        assertEquals(ErrorClass.SOURCE_MISSING, outcomes.get(2).errorClass());
        assertEquals("CRM: record gone is no longer in the source", outcomes.get(2).error());
        assertEquals(ErrorClass.DATA, outcomes.get(3).errorClass());
        assertEquals(Map.of("email", "r@s", "name", "Rex"), outcomes.get(3).output());
        assertEquals(Map.of("email", "c@d", "full_name", "Cy"), outcomes.get(4).input());
        assertEquals(Map.of("email", "c@d", "name", "Cy"), written.get("13"));
        // one read for the chunk; the default upsertAll writes the mapped records one by one
        assertEquals(List.of("readMany [10, 11, gone, rejected, 13]", "upsert 10", "upsert rejected", "upsert 13"), calls);
    }

    @Test
    void when_the_chunk_read_fails_each_record_is_read_by_itself() {
        sourceRows.put("20", Map.of("email", "a@b", "full_name", "Ann"));
        readManyFailure = new ConnectorException(ErrorClass.TRANSIENT, "CRM contacts: reading 2 ids: connection reset");

        var outcomes = flow.resyncAll(List.of("20", "21"), List.of("try-2", "try-2"));

        assertTrue(outcomes.get(0).success());
        assertEquals(ErrorClass.SOURCE_MISSING, outcomes.get(1).errorClass());
        assertEquals(List.of("readMany [20, 21]", "read 20", "read 21", "upsert 20"), calls);
    }

    @Test
    void process_all_maps_every_record_and_keeps_the_order() {
        var outcomes = flow.processAll(List.of(
                new SourceRecord("30", Map.of("email", "a@b", "full_name", "Ann")),
                new SourceRecord("31", Map.of("email", "a@b")),
                new SourceRecord("32", Map.of("email", "c@d", "full_name", "Cy"))), List.of("main-5", "main-5", "main-5"));
        assertEquals(List.of(true, false, true), outcomes.stream().map(RecordOutcome::success).toList());
        assertEquals(ErrorClass.DATA, outcomes.get(1).errorClass());
        assertEquals(List.of("upsert 30", "upsert 32"), calls);
        assertEquals(List.of(), flow.processAll(List.of(), List.of()));
    }

    @Test
    void each_write_carries_the_idempotency_key_of_its_deployment_source_id_and_attempt() {
        flow.processAll(List.of(new SourceRecord("40", Map.of("email", "a@b", "full_name", "Ann")),
                new SourceRecord("41", Map.of("email", "c@d", "full_name", "Cy"))), List.of("try-3", "try-1"));
        assertEquals(List.of(IdempotencyKey.of(41, "40", "try-3"), IdempotencyKey.of(41, "41", "try-1")), keys);
        assertThrows(IllegalArgumentException.class, () -> flow.processAll(List.of(), List.of("try-1")));
    }

    private RecordOutcome process(SourceRecord record) {
        return flow.processAll(List.of(record), List.of("try-1")).getFirst();
    }

    private RecordOutcome resync(String sourceId) {
        return flow.resyncAll(List.of(sourceId), List.of("try-1")).getFirst();
    }
}
