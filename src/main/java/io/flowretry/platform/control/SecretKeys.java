package io.flowretry.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.inject.Produces;
import io.flowretry.platform.entity.SecretBox;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The key that seals connection secrets at rest, installed into {@link SecretBox} at startup:
 * {@code FLOWRETRY_SECRET_KEY} (32 bytes, base64) if set, else the key file
 * {@code FLOWRETRY_DATA_DIR/secret.key}, created on the first start with mode 0600.
 * {@code FLOWRETRY_SECRET_KEY_PREVIOUS} (comma-separated) lists old keys that still open values:
 * at startup every secret sealed with one of them (or stored plain) is sealed again with the current key.
 * Servers sharing one database need the same key.
 */
@Singleton
@Startup
public class SecretKeys {

    public static final String KEY_FILE = "secret.key";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Logger LOG = Logger.getLogger(SecretKeys.class.getName());

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SECRET_KEY")
    Optional<String> configuredKey;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SECRET_KEY_PREVIOUS")
    Optional<String> previousKeys;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_DATA_DIR", defaultValue = "data")
    String dataDir;

    private SecretBox box;

    @PostConstruct
    void load() {
        var current = configuredKey.filter(k -> !k.isBlank()).map(k -> decode(k, "FLOWRETRY_SECRET_KEY"))
                .orElseGet(() -> fromFile(Path.of(dataDir).resolve(KEY_FILE)));
        var previous = previousKeys.stream().flatMap(p -> Arrays.stream(p.split(",")))
                .map(String::trim).filter(k -> !k.isEmpty()).map(k -> decode(k, "FLOWRETRY_SECRET_KEY_PREVIOUS")).toList();
        box = new SecretBox(current, previous);
        SecretBox.install(box);
    }

    /** The server's box; also what {@code SealedText} gets when it is asked for before startup installed it. */
    @Produces
    public SecretBox box() {
        return box;
    }

    /** The key in {@code file}, created (mode 0600, 32 random bytes) when it does not exist yet. */
    static byte[] fromFile(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                var key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                LOG.info(() -> "Created the secret key file " + file.toAbsolutePath() + " (mode 0600): back it up with the database");
                return key;
            } catch (FileAlreadyExistsException exists) {
                if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                    LOG.warning(() -> "The secret key file " + file.toAbsolutePath() + " was readable by others; now mode 0600");
                }
                return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key file " + file.toAbsolutePath(), e);
        }
    }

    static byte[] decode(String base64, String where) {
        try {
            var key = Base64.getDecoder().decode(base64.trim());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new IllegalStateException(where + " must be 32 bytes in base64 (e.g. the output of: openssl rand -base64 32)");
    }
}
