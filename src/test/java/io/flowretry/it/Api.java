package io.flowretry.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A small HTTP client for the ITs: talks to 127.0.0.1 on the port Arquillian reports (the host
 * name it reports may be the machine's external address), as a given user.
 */
public final class Api {

    public static final String ADMIN_PASSWORD = "admin-secret";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    private final String authorization;

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** As admin. */
    public static Api at(URL deployment) {
        return new Api("http://127.0.0.1:" + deployment.getPort(), basic("admin", ADMIN_PASSWORD));
    }

    public Api as(String user, String password) {
        return new Api(base, basic(user, password));
    }

    public Api anonymous() {
        return new Api(base, null);
    }

    public String base() {
        return base;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Reply put(String path, String json) {
        return send("PUT", path, json);
    }

    public Reply patch(String path, String json) {
        return send("PATCH", path, json);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Reply send(String method, String path, String json) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Accept", "application/json, application/problem+json");
        if (json != null || !method.equals("GET")) {
            // every state-changing call needs it, body or not (StateChangeGuard: 415 otherwise)
            builder.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            var response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer: status, content type and the body, parsed on demand. */
    public record Reply(int status, String contentType, String location, String body) {

        public JsonObject json() {
            return (JsonObject) parse();
        }

        public JsonArray array() {
            return (JsonArray) parse();
        }

        private JsonStructure parse() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.read();
            }
        }

        /** The field named by the first entry of a problem's {@code errors}. */
        public String problemField() {
            var errors = json().get("errors");
            if (errors == null || errors.getValueType() != JsonValue.ValueType.ARRAY || ((JsonArray) errors).isEmpty()) {
                return null;
            }
            return ((JsonArray) errors).getJsonObject(0).getString("field");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
