package io.flowretry.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * How the pages show instants: {@code #{fmt.at(instant, zone)}} in a given time zone (an
 * environment's), {@code #{fmt.utc(instant)}} in UTC (empty for no instant); {@code #{fmt.json(text)}}
 * indents stored JSON.
 */
@Named("fmt")
@ApplicationScoped
public class Formats {

    private static final JsonWriterFactory PRETTY = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    public String at(Instant instant, Object zone) {
        if (instant == null) {
            return "";
        }
        var id = zone instanceof ZoneId z ? z : ZoneId.of(zone == null ? "UTC" : zone.toString());
        return TIME.format(instant.atZone(id));
    }

    public String utc(Instant instant) {
        return at(instant, ZoneId.of("UTC"));
    }

    /** Stored JSON, indented for reading; text that is not JSON is shown as it is. */
    public String json(String json) {
        if (json == null || json.isBlank()) {
            return "";
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            var value = reader.readValue();
            var out = new StringWriter();
            try (var writer = PRETTY.createWriter(out)) {
                writer.write(value);
            }
            return out.toString().strip();
        } catch (JsonException e) {
            return json;
        }
    }
}
