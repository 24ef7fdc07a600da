package io.flowretry.connectors.boundary;

import io.flowretry.connectors.control.ConnectionDeleting;
import io.flowretry.connectors.control.JdbcUrls;
import io.flowretry.connectors.control.UrlSecrets;
import io.flowretry.connectors.entity.Connection;
import io.flowretry.connectors.entity.ConnectionType;
import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.connectors.entity.HttpLimits;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.Validation;
import io.flowretry.platform.control.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates and finds connections. Names are unique (409 on a duplicate); a JDBC connection needs a
 * URL that {@link JdbcUrls} allows, an HTTP one an {@code http(s)://} base URL. Everything is checked before
 * anything is stored (an HTTP connection's limits and auth by {@link HttpSettingsCheck}). An update keeps the
 * type, and a password, header value or auth secret sent as {@code "***"} (as the API shows it) keeps the stored secret.
 */
@ApplicationScoped
@Transactional
public class Connections {

    /** How secrets are shown; sent back unchanged in an update, it keeps the stored value. */
    public static final String MASK = UrlSecrets.MASK;

    /** Headers the HTTP client sets itself (the JDK client refuses most of them) or that steer the connection. */
    static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "idempotency-key");

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    JdbcUrls jdbcUrls;

    @Inject
    Event<ConnectionDeleting> deleting;

    /** A connection with the default HTTP limits and no auth (a JDBC one needs neither). */
    public Connection create(String name, String type, String jdbcUrl, String username, String password,
                             String baseUrl, Map<String, String> headers) {
        return create(name, type, jdbcUrl, username, password, baseUrl, headers, null, null);
    }

    /**
     * @param type {@code JDBC} or {@code HTTP} (as text, so an unknown value is reported as field {@code type})
     */
    public Connection create(String name, String type, String jdbcUrl, String username, String password,
                             String baseUrl, Map<String, String> headers, HttpLimits limits, HttpAuth auth) {
        var v = new Validation()
                .require("name", name)
                .maxLength(name, 100, "name")
                .require("type", type);
        var kind = type(type, v);
        checkDetails(kind, jdbcUrl, username, password, baseUrl, headers, v);
        if (kind == ConnectionType.HTTP) {
            HttpSettingsCheck.check(limits, auth, v);
        }
        v.throwIfInvalid();
        var trimmed = name.trim();
        if (findByName(trimmed).isPresent()) {
            throw new ConflictException("name", "a connection named " + trimmed + " exists already");
        }
        var now = clock.instant();
        var connection = kind == ConnectionType.JDBC
                ? Connection.jdbc(trimmed, jdbcUrl.trim(), username, password, now)
                : Connection.http(trimmed, baseUrl.trim(), headers, limits, HttpSettingsCheck.trimmed(auth), now);
        em.persist(connection);
        UniqueViolation.flushOrConflict(em, "name", "a connection named " + trimmed + " exists already");
        return connection;
    }

    /**
     * Replaces a connection's name and details. The type cannot change ({@code type} may be left out);
     * a null or {@code "***"} password keeps the stored one, and so does a header whose value is {@code "***"}
     * and a URL whose password reads {@code "***"} ({@link UrlSecrets}).
     */
    public Connection update(long id, String name, String type, String sentJdbcUrl, String username, String password,
                             String sentBaseUrl, Map<String, String> headers, HttpLimits limits, HttpAuth sentAuth) {
        var connection = get(id);
        var auth = HttpSettingsCheck.keepStored(HttpSettingsCheck.trimmed(sentAuth), connection.getAuth());
        var jdbcUrl = sentJdbcUrl == null ? null : UrlSecrets.keepStored(sentJdbcUrl.trim(), connection.getJdbcUrl());
        var baseUrl = sentBaseUrl == null ? null : UrlSecrets.keepStored(sentBaseUrl.trim(), connection.getBaseUrl());
        var kind = connection.getType();
        var v = new Validation()
                .require("name", name)
                .maxLength(name, 100, "name");
        if (type != null && !type.isBlank()) {
            v.check(type.trim().equalsIgnoreCase(kind.name()), "type", "cannot change from " + kind);
        }
        var keepPassword = password == null || MASK.equals(password);
        checkDetails(kind, jdbcUrl, username, keepPassword ? null : password, baseUrl, headers, v);
        if (kind == ConnectionType.HTTP) {
            HttpSettingsCheck.check(limits, auth, v);
        }
        v.throwIfInvalid();
        var trimmed = name.trim();
        findByName(trimmed).filter(other -> !other.getId().equals(connection.getId())).ifPresent(other -> {
            throw new ConflictException("name", "a connection named " + trimmed + " exists already");
        });
        if (kind == ConnectionType.JDBC) {
            connection.changeJdbc(trimmed, jdbcUrl.trim(), username, keepPassword ? connection.getPassword() : password);
        } else {
            var stored = connection.getHeaders();
            var merged = new LinkedHashMap<String, String>();
            if (headers != null) {
                headers.forEach((k, value) -> merged.put(k, MASK.equals(value) && stored.containsKey(k) ? stored.get(k) : value));
            }
            connection.changeHttp(trimmed, baseUrl.trim(), merged, limits, auth);
        }
        UniqueViolation.flushOrConflict(em, "name", "a connection named " + trimmed + " exists already");
        return connection;
    }

    public List<Connection> list() {
        return em.createNamedQuery(Connection.ALL, Connection.class).getResultList();
    }

    /**
     * Deletes a connection nothing uses: the areas that use connections answer {@link ConnectionDeleting}
     * with a 409 naming the flow or deployment that still does, and then nothing is deleted. Its health
     * row goes with it (on delete cascade).
     */
    public void delete(long id) {
        var connection = get(id);
        deleting.fire(new ConnectionDeleting(id, connection.getName()));
        em.remove(connection);
        em.flush();
    }

    public Optional<Connection> find(long id) {
        return Optional.ofNullable(em.find(Connection.class, id));
    }

    public Connection get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("connection", id));
    }

    public Optional<Connection> findByName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return em.createNamedQuery(Connection.BY_NAME, Connection.class).setParameter("name", name.trim())
                .getResultStream().findFirst();
    }

    public Connection getByName(String name) {
        return findByName(name).orElseThrow(() -> new NotFoundException("connection", name));
    }

    private static ConnectionType type(String type, Validation v) {
        if (type == null || type.isBlank()) {
            return null;
        }
        try {
            return ConnectionType.valueOf(type.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            v.check(false, "type", "must be one of " + Arrays.toString(ConnectionType.values()));
            return null;
        }
    }

    private void checkDetails(ConnectionType kind, String jdbcUrl, String username, String password,
                                     String baseUrl, Map<String, String> headers, Validation v) {
        if (kind == ConnectionType.JDBC) {
            v.require("jdbcUrl", jdbcUrl)
                    .maxLength(jdbcUrl, 1000, "jdbcUrl");
            if (jdbcUrl != null && !jdbcUrl.isBlank() && jdbcUrl.length() <= 1000) {
                jdbcUrls.refusal(jdbcUrl.trim()).ifPresent(why -> v.check(false, "jdbcUrl", why));
            }
            v
                    .maxLength(username, 200, "username")
                    .maxLength(password, 500, "password");
        } else if (kind == ConnectionType.HTTP) {
            v.require("baseUrl", baseUrl)
                    .check(baseUrl == null || baseUrl.isBlank() || isHttpUrl(baseUrl.trim()),
                            "baseUrl", "must be an absolute http:// or https:// URL with a host (no spaces)")
                    .maxLength(baseUrl, 1000, "baseUrl");
            checkHeaders(headers, v);
        }
    }

    /** Parses as an absolute http(s) URI with a host, as the HTTP client will need it. */
    static boolean isHttpUrl(String url) {
        try {
            var uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void checkHeaders(Map<String, String> headers, Validation v) {
        if (headers == null) {
            return;
        }
        headers.forEach((name, value) -> {
            v.check(name != null && name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), "headers", "header name " + name + " is not a valid token");
            v.check(name == null || !FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT)), "headers." + name,
                    "is set by the HTTP client itself and may not be configured");
            v.check(value != null && !value.contains("\n") && !value.contains("\r"), "headers." + name, "must be a single-line value");
        });
        v.check(String.valueOf(headers).length() <= 7000, "headers", "are too long");
    }
}
