package io.flowretry.platform.entity;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * A text column holding a secret: sealed with AES-GCM ({@link SecretBox}) when written, opened when
 * read. The entity keeps the plain value in memory only; the database file never has it.
 */
@Converter
public class SealedText implements AttributeConverter<String, String> {

    @Override
    public String convertToDatabaseColumn(String plain) {
        return plain == null ? null : box().seal(plain);
    }

    @Override
    public String convertToEntityAttribute(String stored) {
        return stored == null ? null : box().open(stored);
    }

    private static SecretBox box() {
        // SecretKeys installs the box at startup; a startup bean that reads secrets earlier starts it
        // here through its producer (by type: an entity names no control class)
        return SecretBox.installed().orElseGet(() -> CDI.current().select(SecretBox.class).get());
    }
}
