package io.flowretry.flows.control;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapperTest {

    private static final String EMAIL = "^[^@]+@[^@]+$";

    /** The mapping of the REST contract's example flow. */
    private static final List<MappingRule> CONTACTS = List.of(
            new MappingRule("email", "email", null, true, EMAIL),
            new MappingRule("name", "full_name", null, true, null),
            new MappingRule("country", null, "DE", false, null));

    private static Map<String, Object> record(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void mapsInRuleOrder() {
        Map<String, Object> out = new Mapper(CONTACTS).map(record("id", 7, "full_name", "Ada", "email", "ada@example.org"));
        assertEquals(List.of("email", "name", "country"), new ArrayList<>(out.keySet()));
        assertEquals(Map.of("email", "ada@example.org", "name", "Ada", "country", "DE"), out);
    }

    @Test
    void sourceLookupIsCaseInsensitive() {
        Map<String, Object> out = new Mapper(CONTACTS).map(record("ID", 7, "FULL_NAME", "Ada", "EMAIL", "ada@example.org"));
        assertEquals("Ada", out.get("name"));
        assertEquals("ada@example.org", out.get("email"));
    }

    @Test
    void exactNameWinsOverCaseInsensitiveMatch() {
        Mapper m = new Mapper(List.of(new MappingRule("n", "name", null, false, null)));
        assertEquals("exact", m.map(record("NAME", "upper", "name", "exact")).get("n"));
    }

    @Test
    void ambiguousCaseInsensitiveMatchFailsWithRuleSource() {
        Mapper m = new Mapper(List.of(new MappingRule("n", "name", null, false, null)));
        MappingException e = assertThrows(MappingException.class, () -> m.map(record("NAME", "a", "Name", "b")));
        assertEquals("n", e.field());
        assertEquals("source", e.rule());
        assertTrue(e.getMessage().startsWith("n: source field name is ambiguous"), e.getMessage());
    }

    @Test
    void patternMismatch() {
        MappingException e = assertThrows(MappingException.class,
                () -> new Mapper(CONTACTS).map(record("full_name", "Ada", "email", "x-at-y")));
        assertEquals("email", e.field());
        assertEquals("pattern", e.rule());
        assertEquals("email: \"x-at-y\" does not match pattern ^[^@]+@[^@]+$", e.getMessage());
    }

    @Test
    void patternMustMatchTheWholeValue() {
        Mapper m = new Mapper(List.of(new MappingRule("code", "code", null, false, "[A-Z]{2}")));
        assertEquals("DE", m.map(record("code", "DE")).get("code"));
        MappingException e = assertThrows(MappingException.class, () -> m.map(record("code", "DEU")));
        assertEquals("pattern", e.rule());
    }

    @Test
    void patternAppliesToToStringOfNonStrings() {
        Mapper m = new Mapper(List.of(new MappingRule("zip", "zip", null, false, "\\d{5}")));
        assertEquals(10115, m.map(record("zip", 10115)).get("zip"));
        assertThrows(MappingException.class, () -> m.map(record("zip", 999)));
    }

    @Test
    void requiredMissingOrBlank() {
        Mapper m = new Mapper(CONTACTS);
        for (Map<String, Object> r : List.of(
                record("email", "a@b", "full_name", null),
                record("email", "a@b", "full_name", "   "),
                record("email", "a@b"))) {
            MappingException e = assertThrows(MappingException.class, () -> m.map(r));
            assertEquals("name", e.field());
            assertEquals("required", e.rule());
            assertEquals("name: required value is missing", e.getMessage());
        }
    }

    @Test
    void nullWithPatternButNotRequiredPasses() {
        Mapper m = new Mapper(List.of(new MappingRule("email", "email", null, false, EMAIL)));
        Map<String, Object> out = m.map(record("email", null));
        assertTrue(out.containsKey("email"));
        assertNull(out.get("email"));
        assertNull(m.map(record()).get("email"));
    }

    @Test
    void sourceWinsAndValueIsTheDefault() {
        Mapper m = new Mapper(List.of(new MappingRule("country", "country", "DE", true, null)));
        assertEquals("FR", m.map(record("country", "FR")).get("country"));
        assertEquals("DE", m.map(record("country", null)).get("country"));
        assertEquals("DE", m.map(record()).get("country"));
    }

    @Test
    void constantValueIgnoresTheRecord() {
        Mapper m = new Mapper(List.of(new MappingRule("active", null, Boolean.TRUE, false, null)));
        assertEquals(Boolean.TRUE, m.map(record("active", false)).get("active"));
    }

    @Test
    void longValuesAreCutInTheMessage() {
        Mapper m = new Mapper(List.of(new MappingRule("email", "email", null, false, EMAIL)));
        MappingException e = assertThrows(MappingException.class, () -> m.map(record("email", "x".repeat(500))));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void firstViolationInRuleOrderIsReported() {
        MappingException e = assertThrows(MappingException.class,
                () -> new Mapper(CONTACTS).map(record("email", "bad", "full_name", null)));
        assertEquals("email", e.field());
    }

    @Test
    void doesNotModifyTheSourceRecord() {
        Map<String, Object> r = new HashMap<>(record("email", "a@b", "full_name", "Ada"));
        Map<String, Object> copy = new HashMap<>(r);
        new Mapper(CONTACTS).map(r);
        assertEquals(copy, r);
    }

    @Test
    void invalidRegexIsRejectedNamingTheTarget() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mapper(List.of(new MappingRule("email", "email", null, false, "(["))));
        assertTrue(e.getMessage().contains("(email)"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid pattern"), e.getMessage());
    }

    @Test
    void validateAcceptsTheContractExample() {
        assertEquals(List.of(), Mapper.validate(CONTACTS));
    }

    @Test
    void validateReportsEveryProblem() {
        List<String> problems = Mapper.validate(List.of(
                new MappingRule(null, "a", null, false, null),
                new MappingRule("b", null, null, true, null),
                new MappingRule("c", "c", null, false, null),
                new MappingRule("C", "c2", null, false, null),
                new MappingRule("d", "d", null, false, "a{")));
        assertEquals(List.of(
                "mapping[0]: target is required",
                "mapping[1] (b): needs a source or a value",
                "mapping[3] (C): duplicate target C",
                "mapping[4] (d): invalid pattern \"a{\": Illegal repetition"), problems);
    }

    @Test
    void validateNullListAndNullRule() {
        assertEquals(List.of("mapping is required"), Mapper.validate(null));
        List<MappingRule> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals(List.of("mapping[0]: rule is missing"), Mapper.validate(withNull));
    }

    @Test
    void blankSourceCountsAsNoSource() {
        assertEquals(List.of("mapping[0] (x): needs a source or a value"),
                Mapper.validate(List.of(new MappingRule("x", " ", null, false, null))));
    }
}
