package io.flowretry.platform.control;

import io.flowretry.kernel.ConflictException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;

/**
 * Recognises a unique-constraint violation (SQLState 23505 on H2 and PostgreSQL) anywhere in an
 * exception's causes, so that a race between two equal inserts answers 409 rather than 500.
 */
public final class UniqueViolation {

    private UniqueViolation() {
    }

    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Flushes {@code em}; a unique-constraint violation becomes a 409 {@link ConflictException} on {@code field}. */
    public static void flushOrConflict(EntityManager em, String field, String message) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (isCause(e)) {
                throw new ConflictException(field, message);
            }
            throw e;
        }
    }
}
