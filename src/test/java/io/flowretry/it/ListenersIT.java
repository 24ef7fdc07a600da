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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 10, theme 6: the server under test (started like every IT's, while other engineers' Payara
 * Micro servers run on this host) listens only on loopback — HTTP and its Hazelcast member alike —
 * read from {@code /proc/net/tcp[6]}: the sockets of the server's process, found by its HTTP port.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ListenersIT {

    private static final String LISTEN = "0A";

    record Listener(String address, int port, long inode) {
        boolean loopback() {
            return address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F")
                    || address.equals("00000000000000000000000001000000");
        }
    }

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @Test
    void no_socket_of_the_server_listens_beyond_loopback() throws IOException {
        var listeners = listeners();
        var http = listeners.stream().filter(l -> l.port() == url.getPort()).findFirst()
                .orElseGet(() -> fail("no listener on the HTTP port " + url.getPort() + ": " + listeners));
        long pid = owner(http.inode());
        var own = sockets(pid);
        var servers = listeners.stream().filter(l -> own.contains(l.inode())).toList();
        assertTrue(servers.size() >= 2, "HTTP and the Hazelcast member at least: " + servers);
        for (Listener l : servers) {
            assertTrue(l.loopback(), "process " + pid + " listens beyond loopback on port " + l.port() + " (" + l.address() + ")");
        }
        assertEquals(1, servers.stream().filter(l -> l.port() == url.getPort()).count());
    }

    private static List<Listener> listeners() throws IOException {
        var all = new ArrayList<Listener>();
        for (String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            var lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                var f = line.trim().split("\\s+");
                if (f[3].equals(LISTEN)) {
                    var local = f[1].split(":");
                    all.add(new Listener(local[0], Integer.parseInt(local[1], 16), Long.parseLong(f[9])));
                }
            }
        }
        return all;
    }

    /** The process holding the socket with this inode. */
    private static long owner(long inode) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) processes::iterator) {
                var name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && sockets(Long.parseLong(name)).contains(inode)) {
                    return Long.parseLong(name);
                }
            }
        }
        return fail("no process owns socket inode " + inode);
    }

    private static Set<Long> sockets(long pid) {
        var inodes = new HashSet<Long>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    var target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | UnsupportedOperationException ignored) {
                    // closed meanwhile, or not ours to read
                }
            });
        } catch (IOException | SecurityException ignored) {
            // a process of another user, or gone
        }
        return inodes;
    }
}
