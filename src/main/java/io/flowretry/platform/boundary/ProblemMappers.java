package io.flowretry.platform.boundary;

import io.flowretry.kernel.FieldError;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.ConflictException;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure into {@code application/problem+json}. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    /** Finds the first of our own exceptions in a cause chain (CDI interceptors and EJBs may wrap them). */
    static Response fromCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidInputException e) {
                return new Problem("about:blank", "Invalid input", 400, e.getMessage(), e.errors()).toResponse();
            }
            if (c instanceof BodyTooLargeException e) {
                return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage()).toResponse();
            }
            if (c instanceof NotFoundException e) {
                return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).toResponse();
            }
            if (c instanceof ConflictException e) {
                var errors = e.field() == null ? null : java.util.List.of(new FieldError(e.field(), e.getMessage()));
                return new Problem("about:blank", "Conflict", 409, e.getMessage(), errors).toResponse();
            }
            if (c instanceof JsonbException || c instanceof JsonParsingException) {
                return Problem.of(Response.Status.BAD_REQUEST, "Malformed JSON: " + c.getMessage()).toResponse();
            }
            if (c instanceof jakarta.persistence.OptimisticLockException) {
                return Problem.of(Response.Status.CONFLICT, "Changed by someone else meanwhile; reload and try again").toResponse();
            }
        }
        return null;
    }

    @Provider
    public static class Any implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception exception) {
            var known = fromCause(exception);
            if (known != null) {
                return known;
            }
            if (exception instanceof WebApplicationException wae) {
                var status = wae.getResponse().getStatusInfo();
                return Problem.of(status, exception.getMessage()).toResponse();
            }
            if (exception instanceof ProcessingException) {
                return Problem.of(Response.Status.BAD_REQUEST, "Malformed request: " + exception.getMessage()).toResponse();
            }
            LOG.log(Level.SEVERE, "Unexpected failure", exception);
            return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Unexpected failure; see the server log").toResponse();
        }
    }
}
