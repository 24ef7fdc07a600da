package io.flowretry.flows.control;

import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.kernel.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FlowFitTest {

    private static final Map<String, ConnectionType> APPS = Map.of("CRM", ConnectionType.JDBC, "ERP", ConnectionType.HTTP);
    private static final Function<String, Optional<ConnectionType>> TYPE_OF = name -> Optional.ofNullable(APPS.get(name));
    private static final List<MappingRule> MAPPING = List.of(new MappingRule("email", "email", null, true, null));

    private static FlowDefinition jdbcToHttp(String table, String idColumn, String path, String method) {
        return new FlowDefinition(new FlowDefinition.Source("CRM", table, idColumn, null, null, null, null), MAPPING,
                new FlowDefinition.Destination("ERP", null, null, path, method));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void a_fitting_definition_has_no_problems() {
        assertEquals(List.of(), FlowFit.problems(jdbcToHttp("contacts", "id", "/customers/{id}", null), TYPE_OF));
    }

    @Test
    void unknown_connections_are_named() {
        var d = new FlowDefinition(new FlowDefinition.Source("Nope", "t", "id", null, null, null, null), MAPPING,
                new FlowDefinition.Destination("Gone", "t", "k", null, null));
        assertEquals(List.of("source.connection", "destination.connection"), fields(FlowFit.problems(d, TYPE_OF)));
    }

    @Test
    void jdbc_names_must_be_plain_identifiers() {
        assertEquals(List.of("source.table"), fields(FlowFit.problems(jdbcToHttp("contacts; drop table x", "id", "/c/{id}", null), TYPE_OF)));
        assertEquals(List.of("source.idColumn"), fields(FlowFit.problems(jdbcToHttp("contacts", "\"id\"", "/c/{id}", null), TYPE_OF)));
        assertEquals(List.of("source.idColumn"), fields(FlowFit.problems(jdbcToHttp("contacts", null, "/c/{id}", null), TYPE_OF)));
        assertEquals(List.of(), FlowFit.problems(jdbcToHttp("_Contacts_2", "ID", "/c/{id}", null), TYPE_OF));
    }

    @Test
    void an_http_source_needs_list_path_item_path_with_id_and_id_field() {
        var d = new FlowDefinition(new FlowDefinition.Source("ERP", null, null, "contacts", "/contacts/1", null, null), MAPPING,
                new FlowDefinition.Destination("CRM", "customers", "source_id", null, null));
        assertEquals(List.of("source.listPath", "source.itemPath", "source.idField"), fields(FlowFit.problems(d, TYPE_OF)));
    }

    @Test
    void a_jdbc_destination_needs_table_key_column_and_column_targets() {
        var d = new FlowDefinition(new FlowDefinition.Source("ERP", null, null, "/c", "/c/{id}", "id", null),
                List.of(new MappingRule("e-mail", "email", null, false, null)),
                new FlowDefinition.Destination("CRM", "customers", null, null, null));
        assertEquals(List.of("destination.keyColumn", "mapping[0].target"), fields(FlowFit.problems(d, TYPE_OF)));
    }

    @Test
    void an_http_destination_needs_a_path_and_put_or_post() {
        assertEquals(List.of("destination.path"), fields(FlowFit.problems(jdbcToHttp("t", "id", null, "PUT"), TYPE_OF)));
        assertEquals(List.of("destination.method"), fields(FlowFit.problems(jdbcToHttp("t", "id", "/c/{id}", "DELETE"), TYPE_OF)));
    }

    @Test
    void normalized_keeps_the_fields_of_the_type_and_defaults_the_method_to_put() {
        var d = new FlowDefinition(new FlowDefinition.Source(" CRM ", " contacts ", "id", "/ignored", null, null, null), MAPPING,
                new FlowDefinition.Destination("ERP", "ignored", null, "/customers/{id}", "post"));
        var n = FlowFit.normalized(d, TYPE_OF);
        assertEquals(new FlowDefinition.Source("CRM", "contacts", "id", null, null, null, null), n.source());
        assertEquals(new FlowDefinition.Destination("ERP", null, null, "/customers/{id}", "POST"), n.destination());
        assertEquals("PUT", FlowFit.normalized(jdbcToHttp("t", "id", "/c/{id}", null), TYPE_OF).destination().method());
        assertNull(n.destination().table());
    }
}
