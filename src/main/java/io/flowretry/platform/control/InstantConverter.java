package io.flowretry.platform.control;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Maps every {@link Instant} attribute to a {@code timestamp with time zone} column through
 * {@link OffsetDateTime} (UTC). Needed because EclipseLink cannot read an {@code Instant} from the
 * {@code OffsetDateTime} that H2 2.x returns for such columns (ConversionException EclipseLink-3002);
 * PostgreSQL's values are converted by EclipseLink on the way in.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
