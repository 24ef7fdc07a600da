package io.flowretry.platform.entity;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seals secrets for the database with AES-256-GCM: {@code sealed:v1:KEYID:BASE64(iv ‖ ciphertext ‖ tag)},
 * a fresh 96-bit IV each time, KEYID the first 8 hex digits of the key's SHA-256 (which key to open it
 * with, never the key). Opens values sealed with the current key or with a previous one (rotation), and
 * reads a value without the prefix as plain text: rows stored before sealing existed, which
 * {@link #resealed} then seals.
 */
public final class SecretBox {

    public static final String PREFIX = "sealed:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static volatile SecretBox installed;

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /** @param current the key new values are sealed with; {@code previous} keys only open old values */
    public SecretBox(byte[] current, List<byte[]> previous) {
        this.currentId = add(current);
        previous.forEach(this::add);
    }

    private String add(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a secret key is 32 bytes (256 bits), not " + key.length);
        }
        var id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes this box the one {@link #installed()} returns (done once at startup by {@code platform.control.SecretKeys}). */
    public static void install(SecretBox box) {
        installed = box;
    }

    /** The box of this server, once {@code platform.control.SecretKeys} has started. */
    public static Optional<SecretBox> installed() {
        return Optional.ofNullable(installed);
    }

    public String seal(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            var iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, iv));
            var sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            var out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain text of a stored value; a value without the prefix is returned as it is. */
    public String open(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        var id = colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
        var key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("a secret was sealed with key " + id + ", which this server does not have"
                    + " (set it as FLOWRETRY_SECRET_KEY or in FLOWRETRY_SECRET_KEY_PREVIOUS)");
        }
        try {
            var in = Base64.getDecoder().decode(stored.substring(colon + 1));
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed secret is damaged or was changed (key " + id + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The value sealed with the current key, when it is plain or sealed with another key; empty when it is fine. */
    public Optional<String> resealed(String stored) {
        if (stored == null || stored.startsWith(PREFIX + currentId + ":")) {
            return Optional.empty();
        }
        return Optional.of(seal(open(stored)));
    }
}
