package io.flowretry.security.control;

import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashesTest {

    @Test
    void hashes_below_600000_iterations_or_of_another_algorithm_are_outdated() {
        assertTrue(PasswordHashes.outdated("PBKDF2WithHmacSHA256:2048:c2FsdA==:aGFzaA=="));
        assertTrue(PasswordHashes.outdated("PBKDF2WithHmacSHA1:600000:c2FsdA==:aGFzaA=="));
        assertTrue(PasswordHashes.outdated("not a hash"));
        assertFalse(PasswordHashes.outdated("PBKDF2WithHmacSHA256:600000:c2FsdA==:aGFzaA=="));
        assertFalse(PasswordHashes.outdated("PBKDF2WithHmacSHA256:1000000:c2FsdA==:aGFzaA=="));
        assertFalse(PasswordHashes.outdated(null), "no user: nothing to upgrade");
    }

    @Test
    void a_verified_sign_in_is_remembered_only_for_the_same_password_and_until_forgotten() {
        var verified = new VerifiedCredentials();
        verified.remember("ann", "right-pw", new CredentialValidationResult("ann", Set.of("operator")));
        var found = verified.find("ann", "right-pw").orElseThrow();
        assertEquals("ann", found.getCallerPrincipal().getName());
        assertEquals(Set.of("operator"), found.getCallerGroups());
        assertTrue(verified.find("ann", "wrong-pw").isEmpty());
        assertTrue(verified.find("an", "nright-pw").isEmpty(), "user and password are kept apart");
        verified.forget("ann");
        assertTrue(verified.find("ann", "right-pw").isEmpty());
    }
}
