package io.flowretry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's listening TCP sockets read from {@code /proc/net/tcp[6]} (no {@code ss} needed), and
 * which of them a process holds, by the socket inodes of its {@code /proc/PID/fd}: for the ITs of
 * issue 10, theme 6 (nothing listens beyond loopback).
 */
final class Listeners {

    private static final String LISTEN = "0A";

    record Listener(String address, int port, long inode) {
        boolean loopback() {
            return address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F")
                    || address.equals("00000000000000000000000001000000");
        }
    }

    private Listeners() {
    }

    static List<Listener> all() throws IOException {
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

    /** The listening sockets of this process. */
    static List<Listener> of(long pid) throws IOException {
        var own = sockets(pid);
        return all().stream().filter(l -> own.contains(l.inode())).toList();
    }

    /** The process holding the socket with this inode, if it is one this user may read. */
    static long owner(long inode) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) processes::iterator) {
                var name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && sockets(Long.parseLong(name)).contains(inode)) {
                    return Long.parseLong(name);
                }
            }
        }
        throw new IllegalStateException("no process owns socket inode " + inode);
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
