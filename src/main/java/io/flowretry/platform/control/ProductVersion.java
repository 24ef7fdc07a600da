package io.flowretry.platform.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The product's version as the build wrote it ({@code META-INF/flowretry/version.properties},
 * filtered from the pom's version): what an agent reports, so a fleet running mixed builds shows it.
 */
public final class ProductVersion {

    static final String RESOURCE = "/META-INF/flowretry/version.properties";

    private static final String VERSION = read(ProductVersion.class.getResourceAsStream(RESOURCE));

    private ProductVersion() {
    }

    public static String get() {
        return VERSION;
    }

    /** The {@code version} of the properties; "unknown" when there are none or the build did not fill it in. */
    static String read(InputStream properties) {
        if (properties == null) {
            return "unknown";
        }
        try (properties) {
            var p = new Properties();
            p.load(properties);
            var version = p.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
