package io.flowretry.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects field errors of one request, then throws them all at once.
 * <pre>{@code
 * var v = new Validation();
 * v.require("name", name);
 * v.check(size >= 1, "batchSize", "must be at least 1");
 * v.throwIfInvalid();
 * }</pre>
 */
public final class Validation {

    private final List<FieldError> errors = new ArrayList<>();

    public Validation require(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            errors.add(new FieldError(field, "is required"));
        }
        return this;
    }

    public Validation check(boolean ok, String field, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    public Validation range(Integer value, int min, int max, String field) {
        if (value != null && (value < min || value > max)) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
        return this;
    }

    public Validation maxLength(String value, int max, String field) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        return this;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
