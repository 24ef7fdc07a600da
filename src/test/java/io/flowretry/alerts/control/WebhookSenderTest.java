package io.flowretry.alerts.control;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real HTTP server on 127.0.0.1. */
class WebhookSenderTest {

    @Test
    void the_signature_is_hmac_sha256_of_the_body_as_hex() {
        // RFC 4231 test case 2
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSender.signature("Jefe", "what do ya want for nothing?"));
    }

    @Test
    void posts_json_with_text_and_the_signature_and_reports_a_refusal() throws Exception {
        var body = new AtomicReference<String>();
        var signature = new AtomicReference<String>();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            signature.set(exchange.getRequestHeaders().getFirst(WebhookSender.SIGNATURE_HEADER));
            exchange.sendResponseHeaders(exchange.getRequestHeaders().getFirst("Content-Type").equals("application/json") ? 204 : 415, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            var base = "http://127.0.0.1:" + server.getAddress().getPort();
            var json = WebhookSender.body(9, "RUN_FAILED", 42, "run 7 failed", Instant.parse("2026-12-02T10:00:00Z"));
            var result = WebhookSender.send(base + "/hook", "s3cret", json);
            assertEquals(new WebhookSender.Result(204, null), result);
            assertEquals(json, body.get());
            assertTrue(json.startsWith("{\"text\":\"run 7 failed\",\"event\":\"RUN_FAILED\",\"deploymentId\":42"), json);
            assertEquals(WebhookSender.signature("s3cret", json), signature.get());

            WebhookSender.send(base + "/hook", null, json);
            assertNull(signature.get(), "no secret, no signature");

            var moved = WebhookSender.send(base + "/moved", null, json);
            assertEquals(302, moved.status(), "redirects are not followed");
            assertEquals("the receiver answered 302", moved.error());
        } finally {
            server.stop(0);
        }
    }
}
