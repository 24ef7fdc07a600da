package io.flowretry.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server boots, migrates and authenticates; and (issue 10, theme 6) it listens only on loopback,
 * HTTP and its Hazelcast member alike, read from {@code /proc/net/tcp[6]}: the sockets of the
 * server's process, found by its HTTP port (other Payara Micro servers may run on this host).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@org.junit.jupiter.api.Tag("postgres")
class SmokeIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @Test
    void boots_migrates_and_authenticates() {
        var api = Api.at(url);
        assertEquals(401, api.anonymous().get("/api/environments").status());
        var created = api.post("/api/environments", "{\"name\":\"smoke-" + System.nanoTime() + "\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, created.status(), created.toString());
        assertEquals("Europe/Berlin", created.json().getString("timeZone"));
        var bad = api.post("/api/environments", "{\"name\":\"x\",\"timeZone\":\"Mars/Olympus\"}");
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("timeZone", bad.problemField());
        assertEquals(400, api.post("/api/environments", "{\"name\":").status());
    }

    @Test
    void no_socket_of_the_server_listens_beyond_loopback() throws IOException {
        var listeners = Listeners.all();
        var http = listeners.stream().filter(l -> l.port() == url.getPort()).findFirst()
                .orElseGet(() -> fail("no listener on the HTTP port " + url.getPort() + ": " + listeners));
        long pid = Listeners.owner(http.inode());
        var servers = Listeners.of(pid);
        assertTrue(servers.size() >= 2, "HTTP and the Hazelcast member at least: " + servers);
        for (Listeners.Listener l : servers) {
            assertTrue(l.loopback(), "process " + pid + " listens beyond loopback on port " + l.port() + " (" + l.address() + ")");
        }
        assertEquals(1, servers.stream().filter(l -> l.port() == url.getPort()).count());
    }

    @Test
    void the_server_is_alone_in_a_data_grid_of_this_runs_own() throws IOException {
        var servers = ArquillianServers.running();
        assertEquals(1, servers.size(), "the previous class's server is gone: " + servers);
        var args = java.util.Arrays.asList(new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("/proc", String.valueOf(servers.get(0).pid()), "cmdline"))).split("\0"));
        assertFalse(args.contains("--nocluster"), "with --nocluster every server on the host shares the grid 'development': " + args);
        int name = args.indexOf("--clustername");
        assertTrue(name >= 0, String.valueOf(args));
        assertEquals("flowretry-it-" + ProcessHandle.current().pid(), args.get(name + 1));
    }
}
