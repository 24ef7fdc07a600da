package io.flowretry.security.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials that passed the identity store lately. A PBKDF2 check with 600,000 iterations takes
 * 0.5–1 s here, and HTTP Basic sends the password with every API call: a successful check is
 * remembered for {@link #KEEP} under an HMAC of user and password with a key of this process (the
 * password itself is not kept), so only the first call of a client pays for it. Failures are never
 * remembered (the sign-in throttle counts them).
 */
@ApplicationScoped
public class VerifiedCredentials {

    static final Duration KEEP = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 10_000;

    private record Verified(String caller, Set<String> groups, long until) {
    }

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final SecretKeySpec key;

    public VerifiedCredentials() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public Optional<CredentialValidationResult> find(String username, String password) {
        var entry = verified.get(digest(username, password));
        if (entry == null || entry.until() - System.nanoTime() < 0) {
            return Optional.empty();
        }
        return Optional.of(new CredentialValidationResult(entry.caller(), entry.groups()));
    }

    public void remember(String username, String password, CredentialValidationResult result) {
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(digest(username, password), new Verified(result.getCallerPrincipal().getName(),
                Set.copyOf(result.getCallerGroups()), System.nanoTime() + KEEP.toNanos()));
    }

    /** Forgets every remembered sign-in of a user (call it when a password or the roles change). */
    public void forget(String username) {
        verified.values().removeIf(v -> v.caller().equals(username));
    }

    private String digest(String username, String password) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((username + '\0' + password).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
