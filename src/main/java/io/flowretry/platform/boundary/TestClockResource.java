package io.flowretry.platform.boundary;

import io.flowretry.kernel.FieldError;
import io.flowretry.kernel.Validation;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.Roles;
import io.flowretry.platform.control.ClockMoved;
import io.flowretry.platform.control.ClockProducer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Sets the application's clock, for integration tests only: answers 404 unless the server runs
 * with {@code FLOWRETRY_CLOCK_CONTROL=true}; admin only. Moving the clock re-arms retry timers;
 * the offset is stored in the database, so every agent of the fleet moves with it within a poll.
 */
@Path("test/clock")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class TestClockResource {

    public record ClockView(Instant now) {
    }

    public record ClockSetting(String now) {
    }

    @Inject
    ClockProducer clocks;

    @Inject
    Clock clock;

    @Inject
    Event<ClockMoved> moved;

    @Inject
    io.flowretry.platform.control.FleetState fleet;

    @GET
    public ClockView get() {
        clocks.adjustable().orElseThrow(() -> new NotFoundException("clock control", "test"));
        return new ClockView(clock.instant());
    }

    @PUT
    public ClockView set(ClockSetting body) {
        var adjustable = clocks.adjustable().orElseThrow(() -> new NotFoundException("clock control", "test"));
        new Validation().require("now", body == null ? null : body.now()).throwIfInvalid();
        Instant now;
        try {
            now = Instant.parse(body.now().trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(java.util.List.of(new FieldError("now", "must be an ISO-8601 instant such as 2026-11-29T14:00:00Z")));
        }
        adjustable.set(now);
        fleet.setClockOffset(adjustable.offset().toMillis()); // one clock for the fleet: the other agents poll it
        moved.fire(new ClockMoved(now));
        return new ClockView(clock.instant());
    }
}
