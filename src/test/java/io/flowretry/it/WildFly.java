package io.flowretry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly server of the build's unpacked distribution ({@code flowretry.wildfly.home}), set up the
 * way the README's "WildFly" section says: its CLI scripts ({@code target/wildfly/h2.cli} or
 * {@code postgresql.cli}, optionally {@code health.cli}) applied offline, the built WAR in
 * {@code deployments/}, {@code standalone-full.xml}. Each server gets a folder of its own
 * ({@code jboss.server.base.dir}, a copy of {@code standalone/}) and a port offset nothing else
 * listens on; every socket binds to 127.0.0.1. The process inherits the failsafe run's environment
 * (DB_USER, ADMIN_PASSWORD, FLOWRETRY_CLOCK_CONTROL, …), as a user's shell would hand it over, with a
 * database and a data folder of its own: the other ITs' deployments and timers stay out of its way.
 */
final class WildFly implements AutoCloseable {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(4);

    private final Path base;
    private final int offset;
    private final Process process;

    private WildFly(Path base, int offset, Process process) {
        this.base = base;
        this.offset = offset;
        this.process = process;
    }

    /**
     * Sets up a fresh server with the README's CLI scripts {@code scripts} (under target/wildfly),
     * starts it and waits for the WAR. {@code dbUrl} is its DB_URL; null leaves the data source's
     * default (an H2 file in the server's data folder), what a README reader gets.
     */
    static WildFly start(String dbUrl, String... scripts) throws IOException, InterruptedException {
        var home = Path.of(System.getProperty("flowretry.wildfly.home"));
        var war = Path.of(System.getProperty("flowretry.war"));
        var project = war.getParent().getParent();
        if (!Files.isRegularFile(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException(home + " is missing: run the ITs through 'mvn verify' (it unpacks WildFly)");
        }
        var base = war.getParent().resolve("wildfly-it").resolve(scripts[0].replace(".cli", ""));
        deleteRecursively(base);
        copyRecursively(home.resolve("standalone"), base);
        for (String script : scripts) {
            var log = base.resolve(script + ".log");
            var cli = new ProcessBuilder("bash", home.resolve("bin/jboss-cli.sh").toString(), "--file=target/wildfly/" + script)
                    .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            environment(cli, "-Djboss.server.base.dir=" + base);
            var configured = cli.start();
            if (!configured.waitFor(3, TimeUnit.MINUTES) || configured.exitValue() != 0) {
                configured.destroyForcibly();
                throw new IllegalStateException(script + " failed:\n" + tail(log));
            }
        }
        Files.copy(war, base.resolve("deployments/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        int offset = freeOffset();
        var server = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-full.xml",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.bind.address.unsecure=127.0.0.1")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("console.log").toFile());
        environment(server, null);
        if (dbUrl == null) {
            server.environment().remove("DB_URL");
        } else {
            server.environment().put("DB_URL", dbUrl);
        }
        server.environment().put("FLOWRETRY_DATA_DIR", base.resolve("data").toString());
        server.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true"); // the script passes signals on to the JVM
        var wildFly = new WildFly(base, offset, server.start());
        wildFly.awaitDeployment();
        return wildFly;
    }

    private static void environment(ProcessBuilder builder, String javaOpts) {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JDK of this run, 21+
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
    }

    private void awaitDeployment() throws InterruptedException {
        var deployments = base.resolve("deployments");
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve("ROOT.war.deployed"))) {
                return;
            }
            if (Files.exists(deployments.resolve("ROOT.war.failed")) || !process.isAlive()) {
                close();
                throw new IllegalStateException("WildFly did not deploy the WAR:\n" + tail(base.resolve("log/server.log")));
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("WildFly did not deploy the WAR within " + DEPLOY_TIMEOUT + ":\n"
                + tail(base.resolve("log/server.log")));
    }

    /** The application's port (8080 + offset). */
    int httpPort() {
        return 8080 + offset;
    }

    /** The management port (9990 + offset), where WildFly serves health. */
    int managementPort() {
        return 9990 + offset;
    }

    String serverLog() {
        return tail(base.resolve("log/server.log"));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An offset at which the ports the tests use (HTTP, HTTPS, management) are free on 127.0.0.1. */
    private static int freeOffset() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            if (free(8080 + offset) && free(8443 + offset) && free(9990 + offset) && free(9993 + offset)) {
                return offset;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static boolean free(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                var target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
