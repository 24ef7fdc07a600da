package io.flowretry.connectors.control;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on 127.0.0.1 where a TCP connect hangs, as it does to a host that drops SYNs: a listener
 * that never accepts, with a backlog of 1 that this class fills (Linux then drops further SYNs
 * instead of refusing them, so the client's connect waits until its own time-out).
 */
final class HungListener implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> queued = new ArrayList<>();

    HungListener() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        for (int i = 0; i < 8; i++) {
            var socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", listener.getLocalPort()), 300);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return;
            }
        }
        close();
        throw new IllegalStateException("the accept queue of a backlog-1 listener never filled: connects would not hang here");
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (var socket : queued) {
            socket.close();
        }
        listener.close();
    }
}
