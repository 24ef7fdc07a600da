package io.flowretry.platform.boundary;

/** A request body over {@code FLOWRETRY_MAX_BODY_BYTES}: answered 413, before it is parsed. */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(int maxBytes) {
        super("The request body is larger than " + maxBytes + " bytes (FLOWRETRY_MAX_BODY_BYTES)");
    }
}
