package io.flowretry.web.bucket;

import jakarta.json.Json;
import jakarta.json.stream.JsonParsingException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The override editor names where its JSON breaks, in words an operator reads. */
class OverrideParseErrorTest {

    private static String error(String json) {
        var e = assertThrows(JsonParsingException.class, () -> {
            try (var reader = Json.createReader(new StringReader(json))) {
                reader.readValue();
            }
        });
        return ViewBacking.parseError(json, e);
    }

    @Test
    void an_unfinished_object_is_an_unexpected_end_at_its_line_and_column() {
        assertEquals("line 1, column 26: unexpected end (expected , or })", error("{\"email\": \"a@example.com\""));
    }

    @Test
    void a_missing_colon_names_the_token_found() {
        assertEquals("line 2, column 24: unexpected string (expected :)", error("{\n \"email\" \"a@example.com\"}"));
    }
}
