package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.kernel.ErrorClass;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Calls to one HTTP app: its base URL joined with a flow's path ({@code {id}} URL-encoded), its
 * headers and auth on every request, JSON accepted, its request time-out. Every request passes the
 * app's {@link HttpGate} (in-flight and rate limits of this server); with OAuth2 a 401 fetches a new
 * token and the request is sent once more. Safe for concurrent calls.
 */
final class HttpApp {

    private final ConnectionDetails app;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final HttpGate gate;

    HttpApp(ConnectionDetails app, HttpClient client, Duration requestTimeout, HttpGate gate) {
        this.app = app;
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.gate = gate;
    }

    String name() {
        return app.name();
    }

    /** The path with {@code {id}} replaced by the URL-encoded id. */
    static String path(String template, String id) {
        String path = template == null ? "" : template;
        if (id != null) {
            path = path.replace("{id}", encode(id));
        }
        return path;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    URI uri(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        String base = app.baseUrl().endsWith("/") ? app.baseUrl().substring(0, app.baseUrl().length() - 1) : app.baseUrl();
        return URI.create(base + (path.startsWith("/") || path.isEmpty() ? path : "/" + path));
    }

    HttpResponse<String> send(String method, String path, String jsonBody) throws ConnectorException {
        return send(method, path, jsonBody, Map.of());
    }

    /** Sends; an IOException or time-out becomes a TRANSIENT failure naming the call. */
    HttpResponse<String> send(String method, String path, String jsonBody, Map<String, String> extraHeaders) throws ConnectorException {
        String call = app.name() + " " + method + " " + (path.isEmpty() ? "/" : path);
        gate.enter(call);
        try {
            var tokens = gate.tokens();
            String token = tokens == null ? null : tokens.current(this::fetchToken);
            var response = client.send(request(call, method, path, jsonBody, extraHeaders, token),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 401 && tokens != null) {
                String renewed = tokens.after401(token, this::fetchToken);
                gate.pace();
                response = client.send(request(call, method, path, jsonBody, extraHeaders, renewed),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw HttpFailures.noAnswer(e, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorClass.TRANSIENT, call + ": interrupted");
        } finally {
            gate.release();
        }
    }

    private HttpRequest request(String call, String method, String path, String jsonBody, Map<String, String> extraHeaders,
                                String oauthToken) throws ConnectorException {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri(path)).timeout(requestTimeout).header("Accept", "application/json");
            app.headers().forEach(request::header);
            extraHeaders.forEach(request::header);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ErrorClass.DATA, call + ": invalid URL or header (" + e.getMessage() + ")");
        }
        var auth = app.auth();
        if (oauthToken != null) {
            request.header("Authorization", "Bearer " + oauthToken);
        } else if (auth != null && HttpAuth.BEARER.equals(auth.type())) {
            request.header("Authorization", "Bearer " + auth.token());
        } else if (auth != null && HttpAuth.BASIC.equals(auth.type())) {
            request.header("Authorization", basic(auth.username(), auth.password()));
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return request.build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The client-credentials grant (RFC 6749 4.4), the client authenticated with HTTP Basic. */
    private OAuth2Tokens.Token fetchToken(HttpAuth auth) throws ConnectorException {
        String call = app.name() + " token request";
        var form = "grant_type=client_credentials" + (auth.scope() == null || auth.scope().isBlank() ? "" : "&scope=" + encode(auth.scope()));
        HttpResponse<String> response;
        try {
            var request = HttpRequest.newBuilder(URI.create(auth.tokenUrl())).timeout(requestTimeout)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic(encode(auth.clientId()), encode(auth.clientSecret())))
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ErrorClass.DATA, call + ": invalid token URL");
        } catch (IOException e) {
            throw HttpFailures.noAnswer(e, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorClass.TRANSIENT, call + ": interrupted");
        }
        if (!HttpFailures.ok(response.statusCode())) {
            throw HttpFailures.failure(response.statusCode(), response.body(), call);
        }
        try {
            if (Json.parse(response.body()) instanceof JsonObject object && object.get("access_token") instanceof JsonString token) {
                Long expiresIn = object.get("expires_in") instanceof JsonNumber n ? n.longValue() : null;
                return new OAuth2Tokens.Token(token.getString(), expiresIn);
            }
        } catch (jakarta.json.JsonException e) {
            // reported below
        }
        throw new ConnectorException(ErrorClass.DATA, call + ": the answer has no access_token");
    }
}
