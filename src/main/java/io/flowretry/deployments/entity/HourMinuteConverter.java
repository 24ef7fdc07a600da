package io.flowretry.deployments.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Stores a wall-clock time as {@code HH:mm} text. */
@Converter
public class HourMinuteConverter implements AttributeConverter<LocalTime, String> {

    public static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Override
    public String convertToDatabaseColumn(LocalTime time) {
        return time == null ? null : time.format(HH_MM);
    }

    @Override
    public LocalTime convertToEntityAttribute(String text) {
        return text == null || text.isBlank() ? null : LocalTime.parse(text, HH_MM);
    }
}
