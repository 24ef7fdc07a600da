package io.flowretry.web.connections;

import io.flowretry.connectors.boundary.Connections;
import io.flowretry.connectors.boundary.ConnectionsResource.ConnectionView;
import io.flowretry.platform.boundary.ConflictException;
import io.flowretry.platform.boundary.InvalidInputException;
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
 * {@code Name: value} header per line). The connections facade validates. When editing, the type
 * stays, an empty password keeps the stored one and secret header values are shown (and kept) as
 * {@code ***}.
 */
@Named("connectionEdit")
@ViewScoped
public class EditBacking implements Serializable {

    static final Map<String, String> INPUTS = Map.of("name", "connection:name", "type", "connection:type",
            "jdbcUrl", "connection:jdbcUrl", "username", "connection:username", "password", "connection:password",
            "baseUrl", "connection:baseUrl", "headers", "connection:headers");

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
            var saved = id == null
                    ? connections.create(name, type, jdbc ? jdbcUrl : null, jdbc ? username : null, jdbc ? secret : null,
                    jdbc ? null : baseUrl, jdbc ? null : headerMap)
                    : connections.update(id, name, type, jdbc ? jdbcUrl : null, jdbc ? username : null, jdbc ? secret : null,
                    jdbc ? null : baseUrl, jdbc ? null : headerMap);
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
}
