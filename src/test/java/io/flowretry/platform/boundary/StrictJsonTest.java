package io.flowretry.platform.boundary;

import io.flowretry.kernel.FieldError;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonTest {

    record Retry(String mode, Integer intervalHours, int batchSize, LocalTime dailyAt) {
    }

    record Body(String name, Boolean active, long id, Retry retry, Map<String, String> headers, List<Long> itemIds, Object flowId) {
    }

    private static List<FieldError> errors(String json) {
        var errors = new ArrayList<FieldError>();
        StrictJson.check(Json.createReader(new StringReader(json)).readValue(), Body.class, "", errors);
        return errors;
    }

    private static List<String> fields(String json) {
        return errors(json).stream().map(FieldError::field).toList();
    }

    @Test
    void values_of_the_declared_json_type_pass() {
        assertEquals(List.of(), errors("""
                {"name":"n","active":false,"id":12,"retry":{"mode":"AUTO","intervalHours":1,"batchSize":100,"dailyAt":"02:30"},
                 "headers":{"X-Key":"v"},"itemIds":[1,2,3],"flowId":"7","unknown":[{"x":1}],"description":null}"""));
        assertEquals(List.of(), errors("{\"flowId\":7,\"retry\":null}"));
    }

    @Test
    void a_coerced_value_names_its_field() {
        assertEquals(List.of("active"), fields("{\"active\":\"yes\"}"));
        assertEquals(List.of("active"), fields("{\"active\":\"maybe\"}"));
        assertEquals(List.of("active"), fields("{\"active\":1}"));
        assertEquals(List.of("retry.intervalHours"), fields("{\"retry\":{\"intervalHours\":1.5}}"));
        assertEquals(List.of("retry.intervalHours"), fields("{\"retry\":{\"intervalHours\":1.9}}"));
        assertEquals(List.of("retry.intervalHours"), fields("{\"retry\":{\"intervalHours\":\"5\"}}"));
        assertEquals(List.of("retry.batchSize"), fields("{\"retry\":{\"batchSize\":1e400}}"));
        assertEquals(List.of("name"), fields("{\"name\":5}"));
        assertEquals(List.of("retry.mode"), fields("{\"retry\":{\"mode\":true}}"));
        assertEquals(List.of("retry"), fields("{\"retry\":\"AUTO\"}"));
        assertEquals(List.of("headers.X-Key"), fields("{\"headers\":{\"X-Key\":1}}"));
        assertEquals(List.of("itemIds[1]"), fields("{\"itemIds\":[1,\"2\",3]}"));
        assertEquals(List.of("id"), fields("{\"id\":99999999999999999999}"));
        assertEquals(List.of("body"), fields("[1,2]"));
        assertEquals(List.of("active", "name", "retry.intervalHours"),
                fields("{\"active\":\"maybe\",\"name\":[],\"retry\":{\"intervalHours\":\"5\"}}").stream().sorted().toList(),
                "every error at once");
        assertTrue(errors("{\"active\":\"maybe\"}").get(0).message().contains("true or false"));
    }

    @Test
    void a_body_over_the_limit_is_refused_before_it_is_read_whole() {
        var e = assertThrows(BodyTooLargeException.class, () -> StrictJson.readAtMost(new ByteArrayInputStream(new byte[10_000]), 9_999));
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
    }

    @Test
    void only_the_servers_own_origin_is_same_origin() {
        var api = URI.create("http://127.0.0.1:8080/api/deployments/1/retry-runs");
        assertTrue(StateChangeGuard.sameOrigin("http://127.0.0.1:8080", api));
        assertTrue(StateChangeGuard.sameOrigin("HTTP://127.0.0.1:8080", api));
        assertFalse(StateChangeGuard.sameOrigin("http://127.0.0.1:8081", api));
        assertFalse(StateChangeGuard.sameOrigin("http://evil.example", api));
        assertFalse(StateChangeGuard.sameOrigin("null", api), "data: pages and sandboxes send Origin: null");
        assertFalse(StateChangeGuard.sameOrigin("https://127.0.0.1:8080", api));
        assertTrue(StateChangeGuard.sameOrigin("https://ops.example.com", URI.create("https://ops.example.com:443/api/x")));
    }
}
