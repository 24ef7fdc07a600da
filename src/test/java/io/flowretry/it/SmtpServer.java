package io.flowretry.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real SMTP server on 127.0.0.1 (RFC 5321's commands a client needs: EHLO/HELO, MAIL, RCPT, DATA
 * with dot-stuffing, RSET, NOOP, QUIT) that keeps every message it accepts. While {@link #refusing}
 * is set it answers {@code MAIL FROM} with {@code 451} (a mail server that is temporarily unable),
 * so a test sees a delivery fail and be retried.
 */
public final class SmtpServer implements AutoCloseable {

    /** One accepted message: the envelope, the headers (names lower case, unfolded) and the body. */
    public record Mail(String envelopeFrom, List<String> recipients, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Mail> received = new CopyOnWriteArrayList<>();
    public final AtomicBoolean refusing = new AtomicBoolean();

    public SmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<Mail> received() {
        return List.copyOf(received);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                var client = socket.accept();
                threads.submit(() -> converse(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client; var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             var out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
            client.setSoTimeout(30_000);
            reply(out, "220 127.0.0.1 ESMTP test server");
            String from = null;
            List<String> to = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                var command = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-127.0.0.1\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 127.0.0.1");
                    case "MAIL" -> {
                        if (refusing.get()) {
                            reply(out, "451 4.3.0 Temporarily unable to accept mail");
                        } else {
                            from = address(line);
                            to = new ArrayList<>();
                            reply(out, "250 2.1.0 OK");
                        }
                    }
                    case "RCPT" -> {
                        if (from == null) {
                            reply(out, "503 5.5.1 MAIL first");
                        } else {
                            to.add(address(line));
                            reply(out, "250 2.1.5 OK");
                        }
                    }
                    case "DATA" -> {
                        if (to.isEmpty()) {
                            reply(out, "503 5.5.1 RCPT first");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            data.append(line.startsWith(".") ? line.substring(1) : line).append("\n");
                        }
                        received.add(parse(from, to, data.toString()));
                        from = null;
                        reply(out, "250 2.0.0 queued");
                    }
                    case "RSET" -> {
                        from = null;
                        reply(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException gone) {
            // the client hung up
        }
    }

    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1).trim();
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    private static Mail parse(String from, List<String> to, String data) {
        var headers = new LinkedHashMap<String, String>();
        var lines = data.split("\n", -1);
        int i = 0;
        String last = null;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            if ((lines[i].startsWith(" ") || lines[i].startsWith("\t")) && last != null) {
                headers.merge(last, " " + lines[i].trim(), String::concat);
            } else if (lines[i].contains(":")) {
                last = lines[i].substring(0, lines[i].indexOf(':')).toLowerCase(Locale.ROOT);
                headers.put(last, lines[i].substring(lines[i].indexOf(':') + 1).trim());
            }
        }
        var body = String.join("\n", java.util.Arrays.copyOfRange(lines, Math.min(i + 1, lines.length), lines.length));
        if ("quoted-printable".equalsIgnoreCase(headers.getOrDefault("content-transfer-encoding", ""))) {
            body = quotedPrintable(body);
        }
        return new Mail(from, List.copyOf(to), headers, body);
    }

    private static String quotedPrintable(String text) {
        var bytes = new java.io.ByteArrayOutputStream();
        var s = text.replace("=\n", "");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 2 < s.length()) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
