package io.flowretry.flows.control;

/**
 * One field of a flow's mapping: how the destination field {@code target} gets its value.
 *
 * @param target   destination field name (required, unique within a mapping)
 * @param source   source field to copy (looked up case-insensitively); may be {@code null}
 * @param value    constant value; with a {@code source} it is the default used when the
 *                 source value is {@code null} or absent
 * @param required the mapped value must not be {@code null} or a blank string
 * @param pattern  regular expression the mapped value's {@code toString()} must fully match;
 *                 {@code null} values are not checked (use {@code required} for that)
 * @see Mapper
 */
public record MappingRule(String target, String source, Object value, boolean required, String pattern) {
}
