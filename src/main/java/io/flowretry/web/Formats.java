package io.flowretry.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How the pages show instants: {@code #{fmt.at(instant, zone)}} in a given time zone (an
 * environment's), {@code #{fmt.utc(instant)}} in UTC. Empty for no instant.
 */
@Named("fmt")
@ApplicationScoped
public class Formats {

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
}
