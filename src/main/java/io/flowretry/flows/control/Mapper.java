package io.flowretry.flows.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Maps a source record to a destination record with a flow's {@link MappingRule}s.
 * Immutable and thread-safe; patterns are compiled once in the constructor.
 *
 * <h2>Rules, applied per rule in order</h2>
 * <ol>
 * <li><b>Value</b>: with a {@code source}, the source field's value; the field is looked up by
 * exact name first, then case-insensitively (H2 reports column names upper-case). An absent
 * field counts as {@code null}. If that is {@code null}, the rule's {@code value} is the default.
 * Without a {@code source}, the constant {@code value}.</li>
 * <li><b>required</b>: a {@code null} or blank-string value fails with
 * {@code name: required value is missing}.</li>
 * <li><b>pattern</b>: a non-null value's {@code toString()} must match the whole pattern
 * ({@link java.util.regex.Matcher#matches()}), else
 * {@code email: "x-at-y" does not match pattern ^[^@]+@[^@]+$}.</li>
 * </ol>
 * A source field name that matches several fields of the record only case-insensitively
 * (e.g. {@code Email} and {@code EMAIL} for source {@code email}) is ambiguous and fails with
 * rule {@code source}.
 * The result holds every target, in rule order, {@code null} values included.
 */
public final class Mapper {

    /** Longest value quoted in an error message; longer ones are cut. */
    private static final int MAX_QUOTED = 100;

    private final List<MappingRule> rules;
    private final List<Pattern> patterns;

    /**
     * @throws IllegalArgumentException if the rules have any problem {@link #validate} reports
     *                                  (a bad regex is reported with its target)
     */
    public Mapper(List<MappingRule> rules) {
        List<String> problems = validate(rules);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid mapping: " + String.join("; ", problems));
        }
        this.rules = List.copyOf(rules);
        List<Pattern> compiled = new ArrayList<>();
        for (MappingRule rule : this.rules) {
            compiled.add(rule.pattern() == null ? null : Pattern.compile(rule.pattern()));
        }
        this.patterns = compiled;
    }

    public List<MappingRule> rules() {
        return rules;
    }

    /**
     * Maps one source record.
     *
     * @return target field → value, in rule order
     * @throws MappingException if a rule is violated (the first violation)
     */
    public Map<String, Object> map(Map<String, Object> sourceRecord) {
        Objects.requireNonNull(sourceRecord, "sourceRecord");
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            MappingRule rule = rules.get(i);
            Object value = hasText(rule.source()) ? lookup(sourceRecord, rule) : null;
            if (value == null) {
                value = rule.value();
            }
            if (rule.required() && (value == null || value instanceof CharSequence cs && cs.toString().isBlank())) {
                throw new MappingException(rule.target(), MappingException.REQUIRED,
                        rule.target() + ": required value is missing");
            }
            Pattern pattern = patterns.get(i);
            if (pattern != null && value != null && !pattern.matcher(value.toString()).matches()) {
                throw new MappingException(rule.target(), MappingException.PATTERN,
                        rule.target() + ": " + quote(value) + " does not match pattern " + rule.pattern());
            }
            result.put(rule.target(), value);
        }
        return result;
    }

    private static Object lookup(Map<String, Object> record, MappingRule rule) {
        String name = rule.source();
        if (record.containsKey(name)) {
            return record.get(name);
        }
        String found = null;
        for (String key : record.keySet()) {
            if (key != null && key.equalsIgnoreCase(name)) {
                if (found != null) {
                    throw new MappingException(rule.target(), MappingException.SOURCE,
                            rule.target() + ": source field " + name + " is ambiguous (" + found + ", " + key + ")");
                }
                found = key;
            }
        }
        return found == null ? null : record.get(found);
    }

    private static String quote(Object value) {
        String text = value.toString();
        if (text.length() > MAX_QUOTED) {
            text = text.substring(0, MAX_QUOTED) + "…";
        }
        return "\"" + text + "\"";
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * The problems of a mapping, each a human-readable sentence naming the rule, e.g.
     * {@code mapping[2] (email): invalid pattern "(": Unclosed group}; empty if it is valid.
     * Checks: a rule is present, has a target, has a source or a value, its target is unique
     * (case-insensitively, as database columns are), and its pattern compiles.
     */
    public static List<String> validate(List<MappingRule> rules) {
        List<String> problems = new ArrayList<>();
        if (rules == null) {
            problems.add("mapping is required");
            return problems;
        }
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            MappingRule rule = rules.get(i);
            if (rule == null) {
                problems.add("mapping[" + i + "]: rule is missing");
                continue;
            }
            String at = "mapping[" + i + "]" + (hasText(rule.target()) ? " (" + rule.target() + ")" : "");
            if (!hasText(rule.target())) {
                problems.add(at + ": target is required");
            } else if (!targets.add(rule.target().toLowerCase(Locale.ROOT))) {
                problems.add(at + ": duplicate target " + rule.target());
            }
            if (!hasText(rule.source()) && rule.value() == null) {
                problems.add(at + ": needs a source or a value");
            }
            if (rule.pattern() != null) {
                try {
                    Pattern.compile(rule.pattern());
                } catch (PatternSyntaxException e) {
                    problems.add(at + ": invalid pattern \"" + rule.pattern() + "\": " + e.getDescription());
                }
            }
        }
        return problems;
    }
}
