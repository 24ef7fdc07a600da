package io.flowretry.kernel;

/** The request clashes with the current state (a duplicate name, an inactive environment): 409. */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public ConflictException(String message) {
        this(null, message);
    }

    public String field() {
        return field;
    }
}
