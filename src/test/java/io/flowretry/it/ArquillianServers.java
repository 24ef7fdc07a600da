package io.flowretry.it;

import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Gives this JVM's Arquillian servers a data grid of their own ({@code flowretry-it-PID}), and makes
 * each IT class's server gone before the next one starts. The Payara Micro
 * container undeploys with a bare SIGTERM and starts the next class's server at once; a server
 * still shutting down (or hung in its shutdown) is then a member of the same Hazelcast data grid,
 * and the new one can fail with "Node failed to start!" and be waited for the whole start-up
 * time-out (CI: one run ran out of its 90 minutes so). After an undeploy this waits for the
 * process to exit, at most {@link #GRACE}, then kills it; before a deploy it kills any left over.
 * Registered in META-INF/services; the servers of {@link PayaraMicro} are not touched.
 */
public final class ArquillianServers {

    static final Duration GRACE = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(ArquillianServers.class.getName());

    public static final class Extension implements LoadableExtension {
        @Override
        public void register(ExtensionBuilder builder) {
            // read by arquillian.xml's --clustername, which Arquillian resolves after registering its extensions
            System.getProperties().putIfAbsent("flowretry.it.cluster", "flowretry-it-" + ProcessHandle.current().pid());
            builder.observer(ArquillianServers.class);
        }
    }

    public void awaitExit(@Observes AfterUnDeploy event) throws InterruptedException {
        long end = System.nanoTime() + GRACE.toNanos();
        for (var server : running()) {
            long left = Math.max(0, end - System.nanoTime());
            try {
                server.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                LOG.warning("Arquillian's server " + server.pid() + " did not exit within " + GRACE + " of its SIGTERM: killed");
                kill(server);
            }
        }
    }

    public void noneLeft(@Observes BeforeDeploy event) throws InterruptedException {
        for (var server : running()) {
            LOG.warning("an earlier Arquillian server " + server.pid() + " was still running: killed");
            kill(server);
        }
    }

    /** This JVM's children that Arquillian started: Payara Micro deploying from its temp folder "arquillian-payara-micro…". */
    static List<ProcessHandle> running() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("payara-micro") && c.contains("arquillian-payara-micro")).orElse(false))
                .toList();
    }

    private static void kill(ProcessHandle server) throws InterruptedException {
        server.destroyForcibly();
        try {
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Arquillian's server " + server.pid() + " survived kill -9", e);
        }
    }
}
