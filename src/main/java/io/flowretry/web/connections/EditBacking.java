package io.flowretry.web.connections;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.boundary.ConnectionsResource.ConnectionView;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A new connection ({@code connections/edit.xhtml}, admins) or a change to one
 * ({@code connections/edit.xhtml?id=}): JDBC (URL, user, password) or HTTP (base URL, one
 * {@code Name: value} header per line, its limits and time-outs, and its auth: none, Basic, Bearer or
 * OAuth2 client credentials). The connections facade validates; its field errors land beside the inputs.
 * When editing, the type stays, an empty password, token or client secret keeps the stored one (while
 * the auth type stays the same), and secret header values are shown (and kept) as {@code ***}. An
 * empty limit is the default (the page shows it as the placeholder).
 */
@Named("connectionEdit")
@ViewScoped
public class EditBacking implements Serializable {

    static final String NO_AUTH = "NONE";

    static final Map<String, String> INPUTS = Map.ofEntries(Map.entry("name", "connection:name"), Map.entry("type", "connection:type"),
            Map.entry("jdbcUrl", "connection:jdbcUrl"), Map.entry("username", "connection:username"),
            Map.entry("password", "connection:password"), Map.entry("baseUrl", "connection:baseUrl"),
            Map.entry("headers", "connection:headers"), Map.entry("maxConcurrency", "connection:maxConcurrency"),
            Map.entry("requestsPerSecond", "connection:requestsPerSecond"),
            Map.entry("connectTimeoutSeconds", "connection:connectTimeoutSeconds"),
            Map.entry("requestTimeoutSeconds", "connection:requestTimeoutSeconds"),
            Map.entry("auth", "connection:authType"), Map.entry("auth.type", "connection:authType"),
            Map.entry("auth.username", "connection:authUsername"), Map.entry("auth.password", "connection:authPassword"),
            Map.entry("auth.token", "connection:authToken"), Map.entry("auth.tokenUrl", "connection:authTokenUrl"),
            Map.entry("auth.clientId", "connection:authClientId"), Map.entry("auth.clientSecret", "connection:authClientSecret"),
            Map.entry("auth.scope", "connection:authScope"));

    @Inject
    Connections connections;

    @Inject
    UserBacking user;

    private Long id;
    private String name;
    private String type = "JDBC";
    private String jdbcUrl;
    private String username;
    private String password;
    private String baseUrl;
    private String headers;
    private Integer maxConcurrency;
    private Double requestsPerSecond;
    private Integer connectTimeoutSeconds;
    private Integer requestTimeoutSeconds;
    private String authType = NO_AUTH;
    /** The stored auth's type: a blank secret keeps the stored one only while the type stays. */
    private String storedAuthType = NO_AUTH;
    private String authUsername;
    private String authPassword;
    private String authToken;
    private String authTokenUrl;
    private String authClientId;
    private String authClientSecret;
    private String authScope;

    public String load() {
        if (id == null) {
            return null;
        }
        var connection = connections.find(id).orElse(null);
        if (connection == null) {
            Messages.error("No connection " + id);
            Messages.keepForRedirect();
            return "/connections/list.xhtml?faces-redirect=true";
        }
        var view = ConnectionView.of(connection);
        name = view.name();
        type = view.type();
        jdbcUrl = view.jdbcUrl();
        username = view.username();
        password = null;
        baseUrl = view.baseUrl();
        headers = view.headers() == null ? null : view.headers().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
        // the stored limits, not the view's: an unset limit stays unset (the default) when saved again
        var limits = connection.getLimits();
        maxConcurrency = limits.maxConcurrency();
        requestsPerSecond = limits.requestsPerSecond();
        connectTimeoutSeconds = limits.connectTimeoutSeconds();
        requestTimeoutSeconds = limits.requestTimeoutSeconds();
        var auth = view.auth();
        authType = auth == null || auth.type() == null ? NO_AUTH : auth.type();
        storedAuthType = authType;
        if (auth != null) {
            authUsername = auth.username();
            authTokenUrl = auth.tokenUrl();
            authClientId = auth.clientId();
            authScope = auth.scope();
        }
        return null;
    }

    public String save() {
        user.requireAdmin();
        var headerMap = headers();
        if (headerMap == null) {
            Messages.errorAt("connection:headers", "write one header per line as Name: value");
            return null;
        }
        try {
            var jdbc = "JDBC".equals(type);
            var secret = password == null || password.isEmpty() ? null : password;
            var limits = jdbc ? null : new HttpLimits(maxConcurrency, requestsPerSecond, connectTimeoutSeconds, requestTimeoutSeconds);
            var auth = jdbc ? null : auth();
            var saved = id == null
                    ? connections.create(name, type, jdbc ? jdbcUrl : null, jdbc ? username : null, jdbc ? secret : null,
                    jdbc ? null : baseUrl, jdbc ? null : headerMap, limits, auth)
                    : connections.update(id, name, type, jdbc ? jdbcUrl : null, jdbc ? username : null, jdbc ? secret : null,
                    jdbc ? null : baseUrl, jdbc ? null : headerMap, limits, auth);
            Messages.info("Connection " + saved.getName() + (id == null ? " created" : " saved"));
            Messages.keepForRedirect();
            return "/connections/list.xhtml?faces-redirect=true";
        } catch (InvalidInputException e) {
            Messages.fieldErrors(e, INPUTS);
        } catch (ConflictException e) {
            Messages.errorAt("connection:name", e.getMessage());
        }
        return null;
    }

    /** The auth as typed, only the chosen type's fields; null for none. */
    private HttpAuth auth() {
        return switch (authType == null ? NO_AUTH : authType) {
            case NO_AUTH -> null;
            case HttpAuth.BASIC -> new HttpAuth(authType, blankAsNull(authUsername), secret(authPassword), null, null, null, null, null);
            case HttpAuth.BEARER -> new HttpAuth(authType, null, null, secret(authToken), null, null, null, null);
            case HttpAuth.OAUTH2 -> new HttpAuth(authType, null, null, null, blankAsNull(authTokenUrl), blankAsNull(authClientId),
                    secret(authClientSecret), blankAsNull(authScope));
            default -> new HttpAuth(authType, null, null, null, null, null, null, null); // the facade names the unknown type
        };
    }

    /** A secret left empty keeps the stored one (sent as the mask) when the type did not change; else it is missing. */
    private String secret(String typed) {
        if (typed != null && !typed.isEmpty()) {
            return typed;
        }
        return isKeepsStoredSecret() ? Connections.MASK : null;
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Whether an empty secret field keeps a stored secret (shown as the field's placeholder). */
    public boolean isKeepsStoredSecret() {
        return id != null && authType != null && authType.equals(storedAuthType);
    }

    /** The header lines as a map; null when a line has no colon. */
    private Map<String, String> headers() {
        var map = new LinkedHashMap<String, String>();
        if (headers == null || headers.isBlank()) {
            return map;
        }
        for (var line : headers.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            map.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return map;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public boolean isJdbc() {
        return "JDBC".equals(type);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getHeaders() {
        return headers;
    }

    public void setHeaders(String headers) {
        this.headers = headers;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public Double getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(Double requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    public Integer getConnectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    public void setConnectTimeoutSeconds(Integer connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    public Integer getRequestTimeoutSeconds() {
        return requestTimeoutSeconds;
    }

    public void setRequestTimeoutSeconds(Integer requestTimeoutSeconds) {
        this.requestTimeoutSeconds = requestTimeoutSeconds;
    }

    public String getAuthType() {
        return authType;
    }

    public void setAuthType(String authType) {
        this.authType = authType;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    public void setAuthUsername(String authUsername) {
        this.authUsername = authUsername;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    public String getAuthTokenUrl() {
        return authTokenUrl;
    }

    public void setAuthTokenUrl(String authTokenUrl) {
        this.authTokenUrl = authTokenUrl;
    }

    public String getAuthClientId() {
        return authClientId;
    }

    public void setAuthClientId(String authClientId) {
        this.authClientId = authClientId;
    }

    public String getAuthClientSecret() {
        return authClientSecret;
    }

    public void setAuthClientSecret(String authClientSecret) {
        this.authClientSecret = authClientSecret;
    }

    public String getAuthScope() {
        return authScope;
    }

    public void setAuthScope(String authScope) {
        this.authScope = authScope;
    }
}
