package io.flowretry.kernel;

/** One offending field of a request: the path of the field and what is wrong with it (a problem document's {@code errors}). */
public record FieldError(String field, String message) {
}
