package io.flowretry.kernel;

/** An unknown id: 404. Thrown by the {@code get*} methods of the facades. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, Object id) {
        super(what + " " + id + " does not exist");
    }
}
