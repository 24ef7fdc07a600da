package io.flowretry.alerts.control;

import jakarta.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * POSTs an alert as JSON that Slack and Teams incoming webhooks show ({@code text}) and a generic
 * receiver can read (event, deploymentId, at). With a secret, {@value #SIGNATURE_HEADER} carries
 * {@code sha256=HEX} of HMAC-SHA256(secret, body). No redirects are followed: the admin's URL is
 * the only place the alert goes.
 */
public final class WebhookSender {

    public static final String SIGNATURE_HEADER = "X-FlowRetry-Signature";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** What a try got: the HTTP status (null: no answer) and the error (null: delivered). */
    public record Result(Integer status, String error) {
    }

    private WebhookSender() {
    }

    static String body(long deliveryId, String event, long deploymentId, String message, Instant at) {
        return Json.createObjectBuilder().add("text", message).add("event", event).add("deploymentId", deploymentId)
                .add("deliveryId", deliveryId).add("at", at.toString()).build().toString();
    }

    static String signature(String secret, String body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result send(String url, String secret, String body) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("User-Agent", "flowretry-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (secret != null) {
            request.header(SIGNATURE_HEADER, signature(secret, body));
        }
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Result(status, status / 100 == 2 ? null : "the receiver answered " + status);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new Result(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted");
        }
    }
}
