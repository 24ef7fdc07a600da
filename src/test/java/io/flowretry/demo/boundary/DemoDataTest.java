package io.flowretry.demo.boundary;

import io.flowretry.flows.control.Mapper;
import io.flowretry.flows.control.MappingException;
import io.flowretry.flows.control.MappingRule;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoDataTest {

    /** The demo flow's mapping, as DemoData deploys it. */
    private static final Mapper MAPPER = new Mapper(List.of(
            new MappingRule("email", "email", null, true, "^[^@]+@[^@]+$"),
            new MappingRule("name", "full_name", null, true, null),
            new MappingRule("country", null, "DE", false, null)));

    @Test
    void twenty_five_contacts_of_which_the_documented_five_fail_the_mapping() {
        var failing = new TreeSet<Integer>();
        for (Object[] c : DemoData.CONTACTS) {
            var record = new HashMap<String, Object>();
            record.put("id", c[0]);
            record.put("email", c[1]);
            record.put("full_name", c[2]);
            record.put("city", c[3]);
            try {
                MAPPER.map(record);
            } catch (MappingException e) {
                failing.add((Integer) c[0]);
            }
        }
        assertEquals(25, DemoData.CONTACTS.size());
        assertEquals(Set.of(4, 9, 13, 17, 22), failing);
    }
}
