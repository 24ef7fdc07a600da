package io.flowretry.platform.control;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class ProductVersionTest {

    @Test
    void is_the_version_of_the_pom_the_build_filtered_in() {
        var pom = System.getProperty("flowretry.expected.version"); // surefire passes the pom's version
        assertNotNull(pom, "run through Maven");
        assertEquals(pom, ProductVersion.get());
    }

    @Test
    void is_unknown_without_the_file_or_when_the_build_left_the_placeholder() {
        assertEquals("unknown", ProductVersion.read(null));
        assertEquals("unknown", ProductVersion.read(stream("version=${project.version}\n")));
        assertEquals("unknown", ProductVersion.read(stream("# nothing\n")));
        assertEquals("2.1.0", ProductVersion.read(stream("version= 2.1.0 \n")));
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
