package io.flowretry.it;

import jakarta.json.Json;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, theme 6, for the Docker image without Docker (no daemon here, no pulls): the
 * {@code Dockerfile}'s {@code COPY} lines are done into {@code target/dockerfile-image/opt/payara},
 * its {@code ENV} becomes the process environment and its {@code CMD} the arguments of
 * {@code java -jar payara-micro.jar}, as the payara/micro image's entrypoint runs them, with
 * {@code /opt/payara} mapped to that folder. Three changes, because this is a shared host and not a
 * container: {@code HTTP_ADDRESS=127.0.0.1} (never 0.0.0.0 here), {@code --port} a free port (the
 * image's 8080 is the host's {@code ./serve}'s), {@code -Xmx768m} (the image sizes the heap from
 * the container). Meanwhile another Payara Micro of the tests runs; neither may join the other.
 */
class DockerfileIT {

    private static final Path IMAGE = Path.of("target", "dockerfile-image").toAbsolutePath();
    private static final String PAYARA_HOME = "/opt/payara";

    private static PayaraMicro other;
    private static Process image;
    private static Path imageLog;
    private static int port;
    private static Map<String, String> dockerfileEnv;

    @BeforeAll
    static void start() throws Exception {
        other = PayaraMicro.named("dockercmd-other").start();

        var dockerfile = instructions(Path.of("Dockerfile"));
        deleteTree(IMAGE);
        Files.createDirectories(IMAGE.resolve("opt/payara"));
        for (var copy : dockerfile.stream().filter(i -> i.startsWith("COPY ")).toList()) {
            copy(copy);
        }
        dockerfileEnv = env(dockerfile);
        var cmd = cmd(dockerfile);

        port = PayaraMicro.freePort();
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", System.getProperty("payara.microJar")));
        cmd.forEach(arg -> command.add(mapped(arg)));
        command.addAll(List.of("--port", String.valueOf(port)));
        imageLog = IMAGE.resolve("server.log");
        var builder = new ProcessBuilder(command).directory(IMAGE.resolve("opt/payara").toFile())
                .redirectErrorStream(true).redirectOutput(imageLog.toFile());
        // the image's environment, not the failsafe execution's test database and settings
        var environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("FLOWRETRY_")
                || key.startsWith("HAZELCAST_") || key.startsWith("HTTP_") || key.equals("DEMO_DATA"));
        dockerfileEnv.forEach((key, value) -> environment.put(key, mapped(value)));
        environment.put("HTTP_ADDRESS", "127.0.0.1");
        Files.createDirectories(Path.of(environment.get("FLOWRETRY_DATA_DIR")));
        image = builder.start();
        try {
            PayaraMicro.awaitReady(image, "dockerfile-image", base(), imageLog);
        } catch (IllegalStateException | InterruptedException e) {
            image.destroyForcibly();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (image != null && image.isAlive()) {
            image.destroy();
            if (!image.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                image.destroyForcibly().waitFor();
            }
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void the_image_start_line_serves_the_war_from_its_deployment_folder_on_its_own_h2_file() throws Exception {
        var reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("0.0.0.0", dockerfileEnv.get("HTTP_ADDRESS"), "the image itself binds all addresses (its container's)");
        var data = IMAGE.resolve("opt/payara/data");
        try (Stream<Path> files = Files.list(data)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("flowretry.mv.db")),
                    "DB_URL of the Dockerfile, under the mapped /opt/payara/data: " + data);
        }
        var log = Files.readString(imageLog);
        assertTrue(log.contains("ROOT"), "deployed from --deploymentDir: " + imageLog);
    }

    @Test
    void the_image_server_and_the_other_stay_each_alone_in_its_data_grid() throws IOException {
        for (var log : List.of(imageLog, other.log())) {
            var text = Files.readString(log);
            assertTrue(text.contains("DG Size: 1"), "alone in its data grid: " + log);
            assertFalse(text.matches("(?s).*DG Size: [2-9].*"), "joined another server: " + log);
            assertFalse(text.matches("(?s).*Members \\{size:[2-9].*"), "a member joined: " + log);
        }
    }

    @Test
    void no_socket_of_the_image_server_listens_beyond_loopback() throws IOException {
        var own = Listeners.of(image.pid());
        assertTrue(own.stream().anyMatch(l -> l.port() == port), "its HTTP listener: " + own);
        assertTrue(own.size() >= 2, "HTTP and the Hazelcast member at least: " + own);
        for (var l : own) {
            assertTrue(l.loopback(), "listens beyond loopback on port " + l.port() + " (" + l.address() + ")");
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static String mapped(String value) {
        return value.replace(PAYARA_HOME, IMAGE.resolve("opt/payara").toString());
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        var result = new ArrayList<String>();
        var current = new StringBuilder();
        for (var line : Files.readAllLines(dockerfile)) {
            if (line.strip().startsWith("#") || (line.isBlank() && current.isEmpty())) {
                continue;
            }
            var text = line.strip();
            if (text.endsWith("\\")) {
                current.append(text, 0, text.length() - 1).append(' ');
            } else {
                result.add(current.append(text).toString().strip());
                current.setLength(0);
            }
        }
        return result;
    }

    /** {@code ENV K=V K2=V2} (the Dockerfile's values have no spaces or quotes). */
    private static Map<String, String> env(List<String> dockerfile) {
        var env = new LinkedHashMap<String, String>();
        for (var line : dockerfile.stream().filter(i -> i.startsWith("ENV ")).toList()) {
            for (var pair : line.substring(4).trim().split("\\s+")) {
                var eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        assertTrue(env.containsKey("FLOWRETRY_DATA_DIR") && env.containsKey("DB_URL"), env.toString());
        return env;
    }

    private static List<String> cmd(List<String> dockerfile) {
        var cmd = dockerfile.stream().filter(i -> i.startsWith("CMD ")).reduce((a, b) -> b).orElseThrow();
        try (var reader = Json.createReader(new StringReader(cmd.substring(4)))) {
            return reader.readArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }

    /** {@code COPY [--chown=…] SOURCE DEST}: SOURCE may be a glob of files, DEST a folder when it ends with /. */
    private static void copy(String instruction) throws IOException {
        var words = new ArrayList<>(List.of(instruction.substring(5).trim().split("\\s+")));
        words.removeIf(w -> w.startsWith("--"));
        assertEquals(2, words.size(), instruction);
        var source = Path.of(words.get(0));
        var target = IMAGE.resolve(words.get(1).substring(1));
        var folder = source.getParent() == null ? Path.of(".") : source.getParent();
        var glob = FileSystems.getDefault().getPathMatcher("glob:" + source.getFileName());
        List<Path> sources;
        try (Stream<Path> files = Files.list(folder)) {
            sources = files.filter(f -> glob.matches(f.getFileName())).toList();
        }
        assertFalse(sources.isEmpty(), "nothing to copy for " + instruction + " (run 'mvn package' first)");
        for (var file : sources) {
            var dest = words.get(1).endsWith("/") ? target.resolve(file.getFileName().toString()) : target;
            Files.createDirectories(dest.getParent());
            Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (var p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
