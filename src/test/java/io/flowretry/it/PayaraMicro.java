package io.flowretry.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Payara Micro process of the ITs' own, running the built WAR: for tests that need several
 * servers on one database, a restart, or a {@code kill -9} (which Arquillian cannot do). The
 * server gets the failsafe execution's environment (PostgreSQL database, admin password, test clock,
 * short lease; on H2 a database file of its own), its own data folder, HTTP port, agent name (its own
 * name) and Hazelcast cluster name on 127.0.0.1, so that two of
 * them never join each other: they coordinate through the database alone, as in production.
 *
 * <pre>
 * try (var one = PayaraMicro.named("one").env("FLOWRETRY_RUN_LEASE_SECONDS", "6").start()) {
 *     Api api = one.api();
 *     ...
 *     one.kill9();
 * }
 * </pre>
 */
public final class PayaraMicro implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> microOptions = new ArrayList<>();
    private final Path work;
    private int port;
    private Process process;

    private PayaraMicro(String name) {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException(name);
        }
        this.name = name;
        this.work = Path.of("target", "payara-micro", name).toAbsolutePath();
        // the same settings failsafe gives the Arquillian servers (pom.xml), so a test sees one product
        for (var key : List.of("DB_URL", "DB_USER", "DB_PASSWORD", "DB_DRIVER", "ADMIN_PASSWORD", "DEMO_DATA",
                "FLOWRETRY_CLOCK_CONTROL", "FLOWRETRY_RUN_LEASE_SECONDS", "FLOWRETRY_METRICS_REFRESH_SECONDS",
                "FLOWRETRY_ALERT_SWEEP_SECONDS")) {
            var value = System.getenv(key);
            if (value != null) {
                env.put(key, value);
            }
        }
        env.put("FLOWRETRY_DATA_DIR", work.resolve("data").toString());
        // without it every server on this host would be the one agent "host:8080" (HTTP_PORT is not --port)
        env.put("FLOWRETRY_AGENT_NAME", name);
        // the H2 pass's database is the Arquillian servers' (FLOWRETRY_DATA_DIR target/it-data, whose key
        // file sealed its secrets): a server of its own gets a database of its own beside its own key file
        if (env.getOrDefault("DB_URL", "").startsWith("jdbc:h2:")) {
            env.put("DB_URL", "jdbc:h2:file:" + work.resolve("data").resolve("flowretry"));
        }
    }

    /** A server with its own folder {@code target/payara-micro/NAME}, kept across a restart (its key file, its H2 data). */
    public static PayaraMicro named(String name) {
        return new PayaraMicro(name);
    }

    /** Sets (or, with {@code null}, removes) an environment variable of the server. */
    public PayaraMicro env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    public PayaraMicro jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Extra Payara Micro options, e.g. {@code microOption("--sslport", "8443")}. */
    public PayaraMicro microOption(String... options) {
        microOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Starts the server and waits until {@code /health/ready} answers 200: at most 600 s, because with
     * six checkouts' suites on two cores (load 25–30) a start took over 240 s.
     */
    public PayaraMicro start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        Files.createDirectories(work.resolve("data"));
        if (port == 0) {
            port = freePort();
        }
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-Dhazelcast.socket.bind.any=false"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", property("payara.microJar"),
                "--domainconfig", property("flowretry.domainXml"),
                "--addlibs", property("flowretry.postgresqlJar"),
                // no --nocluster: with it Payara Micro ignores --clustername and every server on the host
                // joins the one data grid "development" (seen: five engineers' servers in one grid)
                "--clustername", "flowretry-it-" + name + "-" + ProcessHandle.current().pid(),
                "--interfaces", "127.0.0.1", "--port", String.valueOf(port), "--disablephonehome",
                "--rootdir", work.resolve("root").toString()));
        cmd.addAll(microOptions);
        cmd.addAll(List.of("--deploy", property("flowretry.war")));
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        try {
            awaitReady(process, name, base(), log());
        } catch (IllegalStateException | InterruptedException e) {
            kill9(); // a test whose start failed holds no reference to close
            throw e;
        }
        return this;
    }

    /** Also for a server process started otherwise (DockerfileIT): at most 600 s, see {@link #start()}. */
    static void awaitReady(Process process, String name, String base, Path log) throws InterruptedException {
        var limit = Duration.ofSeconds(600);
        long end = System.nanoTime() + limit.toNanos();
        long from = sizeOf(log); // the log is kept across restarts: only this start's lines count
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log + tail(log, from));
            }
            if (!booted(log, from)) {
                // asked before the WAR is deployed, /health/ready once answered 500 and then never again
                // (CI: two servers of the test's own hung 10 minutes so): ask only once Payara Micro says it is ready
                Thread.sleep(500);
                continue;
            }
            try {
                var reply = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() == 200) {
                    return;
                }
                last = reply.statusCode() + " " + reply.body();
            } catch (IOException starting) {
                last = "not listening: " + starting;
            }
            if (deployFailed(log, from)) {
                // Payara Micro stays up with nothing deployed: waiting out the limit would only hide the cause
                throw new IllegalStateException(name + " failed to deploy the WAR; see " + log + tail(log, from));
            }
            Thread.sleep(500);
        }
        // CI shows only the failure's message: the reason must be in it, not only in a file on that machine
        throw new IllegalStateException(name + " was not ready within " + limit + "; /health/ready: " + last
                + "; see " + log + tail(log, from) + threadDump(process));
    }

    /** The last lines this start wrote to the log, for a failure's message. */
    private static String tail(Path log, long from) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, sizeOf(log)));
            var lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).lines().toList();
            return "\n--- last lines of " + log.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** A hung start's threads (jstack of the JDK running the test), to show what its deployment waits for. */
    private static String threadDump(Process process) {
        try {
            var jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            var dump = new ProcessBuilder(jstack.toString(), String.valueOf(process.pid())).redirectErrorStream(true).start();
            var text = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            dump.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            // only the threads in application code or waiting on the database: the whole dump is thousands of lines
            var interesting = java.util.Arrays.stream(text.split("\n\n"))
                    .filter(t -> t.contains("io.flowretry") || t.contains("org.postgresql") || t.contains("org.flywaydb"))
                    .limit(12).toList();
            return "\n--- threads of the server in application or database code ---\n" + String.join("\n\n", interesting);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Payara Micro's own "ready in N (ms)" line, or a deployment failure (reported by the caller), in this start's log. */
    private static boolean booted(Path log, long from) {
        return logContains(log, from, "ready in") || logContains(log, from, "Exception while loading the app");
    }

    private static boolean logContains(Path log, long from, String text) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, sizeOf(log)));
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean deployFailed(Path log, long from) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, sizeOf(log)));
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("Exception while loading the app");
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code kill -9}: no shutdown hook, no commit, no goodbye. */
    public void kill9() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** A clean shutdown (SIGTERM), waiting at most 60 s before {@link #kill9()}. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The port stays the same across a restart, so a test's {@link Api} keeps working. */
    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public URL url() {
        try {
            return URI.create(base() + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As admin, like {@link Api#at(URL)}. */
    public Api api() {
        return Api.at(url());
    }

    public Path log() {
        return work.resolve("server.log");
    }

    public Path dataDir() {
        return work.resolve("data");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String property(String key) {
        var value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + key + " is missing: run the ITs through 'mvn verify'");
        }
        return value;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
