package io.flowretry.connectors.entity;

import io.flowretry.platform.entity.Identified;
import io.flowretry.platform.entity.SealedText;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * An app a flow reads from or writes to. Its name is the "Node Name" of the bucket. A JDBC
 * connection has a JDBC URL and optional credentials; an HTTP one a base URL, fixed headers, its
 * {@link HttpLimits} and optional {@link HttpAuth}.
 * The password is a secret: it never leaves the server ({@link #toString()} omits it too). The URLs
 * (which may hold passwords), the password, the headers and the auth are sealed at rest ({@link SealedText}).
 */
@Entity
@Table(name = "connections")
@NamedQuery(name = Connection.ALL, query = "select c from Connection c order by c.name")
@NamedQuery(name = Connection.BY_NAME, query = "select c from Connection c where c.name = :name")
public class Connection extends Identified {

    public static final String ALL = "Connection.all";
    public static final String BY_NAME = "Connection.byName";

    private String name;

    @Enumerated(EnumType.STRING)
    private ConnectionType type;

    @Column(name = "jdbc_url")
    @Convert(converter = SealedText.class)
    private String jdbcUrl;

    private String username;

    @Convert(converter = SealedText.class)
    private String password;

    @Column(name = "base_url")
    @Convert(converter = SealedText.class)
    private String baseUrl;

    /** JSON object text (see {@link HeadersJson}): a plain column keeps the mapping portable. */
    @Convert(converter = SealedText.class)
    private String headers;

    @Column(name = "max_concurrency")
    private Integer maxConcurrency;

    @Column(name = "requests_per_second")
    private Double requestsPerSecond;

    @Column(name = "connect_timeout_seconds")
    private Integer connectTimeoutSeconds;

    @Column(name = "request_timeout_seconds")
    private Integer requestTimeoutSeconds;

    /** {@link HttpAuth} as JSON text, sealed: it holds passwords, tokens and client secrets. */
    @Convert(converter = SealedText.class)
    private String auth;

    @Column(name = "created_at")
    private Instant createdAt;

    @Version
    @Column(name = "lock_version")
    private long lockVersion;

    protected Connection() {
    }

    public static Connection jdbc(String name, String jdbcUrl, String username, String password, Instant createdAt) {
        var c = new Connection(name, ConnectionType.JDBC, createdAt);
        c.jdbcUrl = jdbcUrl;
        c.username = username;
        c.password = password;
        return c;
    }

    public static Connection http(String name, String baseUrl, Map<String, String> headers, HttpLimits limits,
                                  HttpAuth auth, Instant createdAt) {
        var c = new Connection(name, ConnectionType.HTTP, createdAt);
        c.changeHttp(name, baseUrl, headers, limits, auth);
        return c;
    }

    /** Changes a JDBC connection in place (its type stays). */
    public void changeJdbc(String name, String jdbcUrl, String username, String password) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** Changes an HTTP connection in place (its type stays). */
    public void changeHttp(String name, String baseUrl, Map<String, String> headers, HttpLimits limits, HttpAuth auth) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.headers = HeadersJson.toJson(headers);
        var l = limits == null ? HttpLimits.DEFAULTS : limits;
        this.maxConcurrency = l.maxConcurrency();
        this.requestsPerSecond = l.requestsPerSecond();
        this.connectTimeoutSeconds = l.connectTimeoutSeconds();
        this.requestTimeoutSeconds = l.requestTimeoutSeconds();
        this.auth = HttpAuth.toJson(auth);
    }

    private Connection(String name, ConnectionType type, Instant createdAt) {
        this.name = name;
        this.type = type;
        this.createdAt = createdAt;
    }


    public String getName() {
        return name;
    }

    public ConnectionType getType() {
        return type;
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    public String getUsername() {
        return username;
    }

    /** The secret, for the connectors only: never return it over the API nor log it. */
    public String getPassword() {
        return password;
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public Map<String, String> getHeaders() {
        return Collections.unmodifiableMap(HeadersJson.fromJson(headers));
    }

    /** An HTTP connection's limits (nulls: the defaults). */
    public HttpLimits getLimits() {
        return new HttpLimits(maxConcurrency, requestsPerSecond, connectTimeoutSeconds, requestTimeoutSeconds);
    }

    /** With its secrets, for the connectors only; null when the requests are not signed. */
    public HttpAuth getAuth() {
        return HttpAuth.fromJson(auth);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "Connection[" + getId() + ", " + name + ", " + type + "]";
    }
}
