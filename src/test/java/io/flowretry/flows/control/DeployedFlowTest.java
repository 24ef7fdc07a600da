package io.flowretry.flows.control;

import io.flowretry.bucket.entity.ErrorClass;
import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.DestinationConnector;
import io.flowretry.connectors.control.RecordCursor;
import io.flowretry.connectors.control.SourceConnector;
import io.flowretry.connectors.control.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeployedFlowTest {

    private final Map<String, Map<String, Object>> sourceRows = new HashMap<>();
    private final Map<String, Map<String, Object>> written = new HashMap<>();
    private ConnectorException nextWriteFailure;

    private final SourceConnector source = new SourceConnector() {
        @Override
        public RecordCursor readAll(String afterId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Map<String, Object>> read(String id) {
            return Optional.ofNullable(sourceRows.get(id));
        }

        @Override
        public void close() {
        }
    };

    private final DestinationConnector destination = new DestinationConnector() {
        @Override
        public void upsert(String sourceId, Map<String, Object> record) throws ConnectorException {
            if (nextWriteFailure != null) {
                throw nextWriteFailure;
            }
            written.put(sourceId, record);
        }

        @Override
        public void close() {
        }
    };

    private final DeployedFlow flow = new DeployedFlow("CRM", 3, new Mapper(List.of(
            new MappingRule("email", "email", null, true, "^[^@]+@[^@]+$"),
            new MappingRule("name", "full_name", null, true, null))), source, destination);

    @Test
    void a_valid_record_is_mapped_and_written() {
        var outcome = flow.process(new SourceRecord("1", Map.of("email", "a@b", "full_name", "Ann")));
        assertTrue(outcome.success());
        assertEquals(Map.of("email", "a@b", "name", "Ann"), written.get("1"));
        assertEquals(Map.of("email", "a@b", "name", "Ann"), outcome.output());
    }

    @Test
    void a_failed_rule_is_a_data_error_naming_the_field_and_nothing_is_written() {
        var outcome = flow.process(new SourceRecord("2", Map.of("email", "nope", "full_name", "Bob")));
        assertFalse(outcome.success());
        assertEquals(ErrorClass.DATA, outcome.errorClass());
        assertTrue(outcome.error().startsWith("email: \"nope\" does not match pattern"), outcome.error());
        assertNull(outcome.output());
        assertTrue(written.isEmpty());
    }

    @Test
    void a_destination_failure_keeps_its_class() {
        nextWriteFailure = new ConnectorException(ErrorClass.TRANSIENT, "HTTP 503: busy (ERP PUT /customers/3)");
        var outcome = flow.process(new SourceRecord("3", Map.of("email", "c@d", "full_name", "Cy")));
        assertEquals(ErrorClass.TRANSIENT, outcome.errorClass());
        assertEquals("HTTP 503: busy (ERP PUT /customers/3)", outcome.error());
        assertEquals(Map.of("email", "c@d", "name", "Cy"), outcome.output());
    }

    @Test
    void resync_rereads_by_id_and_a_gone_record_is_source_missing() {
        sourceRows.put("4", Map.of("email", "e@f", "full_name", "Di"));
        assertTrue(flow.resync("4").success());
        var gone = flow.resync("5");
        assertEquals(ErrorClass.SOURCE_MISSING, gone.errorClass());
        assertEquals("CRM: record 5 is no longer in the source", gone.error());
        assertEquals("CRM", flow.nodeName());
        assertEquals(3, flow.flowVersion());
    }
}
