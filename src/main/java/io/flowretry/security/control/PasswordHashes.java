package io.flowretry.security.control;

import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

import java.util.Map;

/**
 * How user passwords are hashed: PBKDF2-HMAC-SHA256 with {@value #ITERATIONS} iterations (OWASP's
 * count in 2026) and a 32-byte salt, in Jakarta Security's form {@code ALGORITHM:ITERATIONS:SALT:HASH}.
 * A stored hash with another algorithm or fewer iterations is replaced at the next successful sign-in.
 */
public final class PasswordHashes {

    public static final int ITERATIONS = 600_000;
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** The same parameters as {@code Pbkdf2PasswordHash.initialize} and the identity store definition take them. */
    static final Map<String, String> PARAMETERS = Map.of(
            "Pbkdf2PasswordHash.Iterations", String.valueOf(ITERATIONS),
            "Pbkdf2PasswordHash.Algorithm", ALGORITHM,
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "32");

    private PasswordHashes() {
    }

    static Pbkdf2PasswordHash initialized(Pbkdf2PasswordHash hash) {
        hash.initialize(PARAMETERS);
        return hash;
    }

    /** Whether a stored hash is weaker than the current rule (or not one this product wrote). */
    static boolean outdated(String stored) {
        if (stored == null) {
            return false;
        }
        var parts = stored.split(":");
        if (parts.length != 4 || !ALGORITHM.equals(parts[0])) {
            return true;
        }
        try {
            return Integer.parseInt(parts[1]) < ITERATIONS;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
