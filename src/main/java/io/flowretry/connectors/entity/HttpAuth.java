package io.flowretry.connectors.entity;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.util.Locale;

/**
 * How an HTTP connection signs its requests: {@code BASIC} ({@code username}, {@code password}),
 * {@code BEARER} ({@code token}) or {@code OAUTH2_CLIENT_CREDENTIALS} ({@code tokenUrl},
 * {@code clientId}, {@code clientSecret}, optional {@code scope}). Stored as JSON text, sealed at rest;
 * {@code password}, {@code token} and {@code clientSecret} are its secrets.
 */
public record HttpAuth(String type, String username, String password, String token,
                       String tokenUrl, String clientId, String clientSecret, String scope) {

    public static final String BASIC = "BASIC";
    public static final String BEARER = "BEARER";
    public static final String OAUTH2 = "OAUTH2_CLIENT_CREDENTIALS";

    /** Created on first use, so that plain unit tests need no JSON-B provider. */
    private static final class Json {
        static final Jsonb JSONB = JsonbBuilder.create();
    }

    public HttpAuth {
        type = type == null ? null : type.trim().toUpperCase(Locale.ROOT);
    }

    public boolean isOAuth2() {
        return OAUTH2.equals(type);
    }

    /** The same auth with each secret replaced by {@code mask} (what the API shows). */
    public HttpAuth masked(String mask) {
        return new HttpAuth(type, username, password == null ? null : mask, token == null ? null : mask,
                tokenUrl, clientId, clientSecret == null ? null : mask, scope);
    }

    /** This auth as sent, each secret that reads {@code mask} replaced by the stored one (same type only). */
    public HttpAuth keepingSecretsOf(HttpAuth stored, String mask) {
        if (stored == null || !stored.type().equals(type)) {
            return this;
        }
        return new HttpAuth(type, username, mask.equals(password) ? stored.password() : password,
                mask.equals(token) ? stored.token() : token, tokenUrl, clientId,
                mask.equals(clientSecret) ? stored.clientSecret() : clientSecret, scope);
    }

    static String toJson(HttpAuth auth) {
        return auth == null ? null : Json.JSONB.toJson(auth);
    }

    static HttpAuth fromJson(String json) {
        return json == null || json.isBlank() ? null : Json.JSONB.fromJson(json, HttpAuth.class);
    }

    @Override
    public String toString() {
        return "HttpAuth[" + type + "]";
    }
}
