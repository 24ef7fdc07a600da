package io.flowretry.snapshots.control;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadsTest {

    @Test
    void small_payload_keeps_json_types() {
        var map = new LinkedHashMap<String, Object>();
        map.put("id", 7);
        map.put("name", "Ada");
        map.put("vip", true);
        map.put("score", new BigDecimal("1.50"));
        map.put("born", LocalDate.of(1815, 12, 10));
        map.put("tags", List.of("a", "b"));
        map.put("nothing", null);
        var stored = Payloads.toStoredJson(map);
        var parsed = (JsonObject) Payloads.parse(stored);
        assertEquals(7, parsed.getInt("id"));
        assertEquals("Ada", parsed.getString("name"));
        assertTrue(parsed.getBoolean("vip"));
        assertEquals(new BigDecimal("1.50"), parsed.getJsonNumber("score").bigDecimalValue());
        assertEquals("1815-12-10", parsed.getString("born"));
        assertEquals(2, parsed.getJsonArray("tags").size());
        assertTrue(parsed.isNull("nothing"));
        assertFalse(parsed.containsKey("_truncated"));
    }

    @Test
    void payload_at_the_limit_is_kept_and_one_byte_more_is_cut() {
        // {"v":"..."} has 8 bytes besides the text
        var exact = Map.of("v", "x".repeat(Payloads.MAX_BYTES - 8));
        assertEquals(Payloads.MAX_BYTES, Payloads.toStoredJson(exact).getBytes(StandardCharsets.UTF_8).length);
        var over = Map.of("v", "x".repeat(Payloads.MAX_BYTES - 7));
        var cut = (JsonObject) Payloads.parse(Payloads.toStoredJson(over));
        assertTrue(cut.getBoolean("_truncated"));
        assertEquals(Payloads.MAX_BYTES + 1, cut.getInt("size"));
        assertEquals(Payloads.PREVIEW_CHARS, cut.getString("preview").length());
        assertTrue(cut.getString("preview").startsWith("{\"v\":\"xxx"));
    }

    @Test
    void limit_counts_utf8_bytes_not_characters() {
        // 30,000 two-byte characters: 60,000 chars fit in chars but not in bytes
        var wide = Map.of("v", "é".repeat(33_000));
        var cut = (JsonObject) Payloads.parse(Payloads.toStoredJson(wide));
        assertTrue(cut.getBoolean("_truncated"));
        assertTrue(Payloads.toStoredJson(wide).length() < 70_000, "fits the column");
    }

    @Test
    void null_payload_stays_null() {
        assertNull(Payloads.toStoredJson(null));
        assertEquals(JsonValue.NULL, Payloads.parse(null));
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, Payloads.parseObject(null));
    }

    @Test
    void cut_shortens_text_to_the_column() {
        assertEquals("abc", Payloads.cut("abcdef", 3));
        assertEquals("ab", Payloads.cut("ab", 3));
        assertNull(Payloads.cut(null, 3));
    }
}
