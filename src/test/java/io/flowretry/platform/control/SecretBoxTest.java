package io.flowretry.platform.control;

import io.flowretry.platform.entity.SecretBox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    private static byte[] key(int fill) {
        var key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void a_sealed_secret_holds_no_plain_text_and_opens_again() {
        var box = new SecretBox(key(1), List.of());
        var sealed = box.seal("jdbc:postgresql://db/crm?password=s3cret");
        assertTrue(sealed.startsWith(SecretBox.PREFIX), sealed);
        assertFalse(sealed.contains("s3cret"));
        assertNotEquals(sealed, box.seal("jdbc:postgresql://db/crm?password=s3cret"), "a fresh IV each time");
        assertEquals("jdbc:postgresql://db/crm?password=s3cret", box.open(sealed));
        assertEquals("plain from before", box.open("plain from before"));
    }

    @Test
    void a_changed_byte_or_a_foreign_key_is_refused() {
        var box = new SecretBox(key(1), List.of());
        var sealed = box.seal("s3cret");
        var bytes = sealed.toCharArray();
        int last = SecretBox.PREFIX.length() + 9 + 20; // inside the IV and ciphertext, not in base64 padding bits
        bytes[last] = bytes[last] == 'A' ? 'B' : 'A';
        assertThrows(IllegalStateException.class, () -> box.open(new String(bytes)));
        var other = new SecretBox(key(2), List.of());
        var e = assertThrows(IllegalStateException.class, () -> other.open(sealed));
        assertTrue(e.getMessage().contains("FLOWRETRY_SECRET_KEY_PREVIOUS"), e.getMessage());
    }

    /** Rotation: the new key seals, the previous one still opens, and resealing moves every value to the new key. */
    @Test
    void rotation_reseals_values_of_the_previous_key_and_plain_ones() {
        var old = new SecretBox(key(1), List.of());
        var sealedOld = old.seal("s3cret");
        var rotated = new SecretBox(key(2), List.of(key(1)));
        assertEquals("s3cret", rotated.open(sealedOld));
        var resealed = rotated.resealed(sealedOld).orElseThrow();
        assertEquals("s3cret", new SecretBox(key(2), List.of()).open(resealed), "opens without the previous key");
        assertTrue(rotated.resealed(resealed).isEmpty(), "already on the current key");
        assertEquals("legacy", rotated.open(rotated.resealed("legacy").orElseThrow()));
        assertTrue(rotated.resealed(null).isEmpty());
    }

    @Test
    void the_key_file_is_created_once_with_mode_0600_and_read_after(@TempDir Path dir) throws Exception {
        var file = dir.resolve("data/secret.key");
        var key = SecretKeys.fromFile(file);
        assertEquals(32, key.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(key, SecretKeys.fromFile(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertArrayEquals(key, SecretKeys.fromFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "a readable key file is closed");
        assertArrayEquals(key(3), SecretKeys.decode(Base64.getEncoder().encodeToString(key(3)), "test"));
        assertThrows(IllegalStateException.class, () -> SecretKeys.decode("too-short", "test"));
    }

    @Test
    void data_files_are_made_private(@TempDir Path dir) throws Exception {
        var file = Files.writeString(Files.createDirectories(dir.resolve("apps")).resolve("crm.mv.db"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DataFolder.restrict(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("apps"))));
    }
}
