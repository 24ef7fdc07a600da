package io.flowretry.connectors.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs a connection may have. An admin's URL is untrusted: H2 runs SQL, scripts and Java
 * on connect ({@code INIT}, {@code RUNSCRIPT}, trace and lock files) and opens any file it is given;
 * pgjdbc loads classes and opens files named in its parameters ({@code socketFactory},
 * {@code sslfactory}, {@code loggerFile}, {@code sslkey}, …). So a URL is parsed the way the driver
 * parses it and allowed only if every part is on an allow-list:
 * <ul>
 * <li>{@code jdbc:h2:tcp://HOST[:PORT]/PATH} (or {@code ssl:}), {@code jdbc:h2:mem:NAME}, and H2 files
 * ({@code jdbc:h2:[file:]PATH}, PATH absolute or {@code ./…}) that lie under {@code FLOWRETRY_DATA_DIR/apps}
 * and are not the application's own database; settings only {@link #H2_SETTINGS}, each with a plain value.</li>
 * <li>{@code jdbc:postgresql://HOST[:PORT][,…]/DB} (or {@code jdbc:postgresql:DB}) with only the
 * parameters in {@link #POSTGRESQL_PARAMETERS}.</li>
 * </ul>
 * Checked when a connection is saved and again each time one is opened, so a row stored before
 * these rules cannot slip through.
 */
@ApplicationScoped
public class JdbcUrls {

    /** The folder under {@code FLOWRETRY_DATA_DIR} that H2 file apps must lie in. */
    public static final String APPS = "apps";

    private static final String H2 = "jdbc:h2:";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final Pattern FLAG = Pattern.compile("(?i)true|false");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]{1,40}");
    private static final Pattern SECRET = Pattern.compile("[^\\\\;\\p{Cntrl}]{0,500}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@$-]{0,100}");

    /** H2 settings allowed in a URL (upper case, as H2 compares them) and the values each takes. */
    static final Map<String, Pattern> H2_SETTINGS = Map.ofEntries(
            Map.entry("DB_CLOSE_DELAY", INTEGER),
            Map.entry("MODE", WORD),
            Map.entry("IFEXISTS", Pattern.compile("(?i)true")),
            Map.entry("DATABASE_TO_UPPER", FLAG),
            Map.entry("DATABASE_TO_LOWER", FLAG),
            Map.entry("CASE_INSENSITIVE_IDENTIFIERS", FLAG),
            Map.entry("IGNORECASE", FLAG),
            Map.entry("DEFAULT_NULL_ORDERING", Pattern.compile("(?i)low|high|first|last")),
            Map.entry("LOCK_TIMEOUT", COUNT),
            Map.entry("QUERY_TIMEOUT", COUNT),
            Map.entry("USER", USER),
            Map.entry("PASSWORD", SECRET));

    /** pgjdbc parameters allowed in a URL (pgjdbc compares names exactly) and the values each takes. */
    static final Map<String, Pattern> POSTGRESQL_PARAMETERS = Map.ofEntries(
            Map.entry("user", USER),
            Map.entry("password", SECRET),
            Map.entry("ssl", FLAG),
            Map.entry("sslmode", Pattern.compile("disable|allow|prefer|require|verify-ca|verify-full")),
            Map.entry("connectTimeout", COUNT),
            Map.entry("socketTimeout", COUNT),
            Map.entry("loginTimeout", COUNT),
            Map.entry("ApplicationName", Pattern.compile("[A-Za-z0-9_. -]{0,64}")),
            Map.entry("currentSchema", Pattern.compile("[A-Za-z0-9_,$]{1,200}")),
            Map.entry("targetServerType", Pattern.compile("any|primary|secondary|preferSecondary|preferPrimary")),
            Map.entry("loadBalanceHosts", FLAG),
            Map.entry("tcpKeepAlive", FLAG),
            Map.entry("reWriteBatchedInserts", FLAG),
            Map.entry("prepareThreshold", INTEGER),
            Map.entry("defaultRowFetchSize", COUNT),
            Map.entry("readOnly", FLAG),
            Map.entry("stringtype", Pattern.compile("unspecified|varchar")));

    private static final String HOST = "(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?";
    private static final Pattern HOSTS = Pattern.compile(HOST + "(?:," + HOST + ")*");
    private static final Pattern H2_REMOTE = Pattern.compile("(?:tcp|ssl)://(" + HOSTS.pattern() + ")/([A-Za-z0-9_./~: -]{1,500})");
    private static final Pattern H2_MEMORY = Pattern.compile("mem:[A-Za-z0-9_-]{0,100}");
    private static final Pattern H2_FILE = Pattern.compile("[A-Za-z0-9_./ -]{1,900}");
    private static final Pattern PG_DATABASE = Pattern.compile("[A-Za-z0-9_.$-]{1,63}");
    private static final Pattern KEY = Pattern.compile("[A-Z_]{1,60}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z]{1,60}");

    private final Path appsDir;
    private final Path ownDatabase;

    /** For the CDI proxy only. */
    protected JdbcUrls() {
        this.appsDir = null;
        this.ownDatabase = null;
    }

    @Inject
    public JdbcUrls(@ConfigProperty(name = "FLOWRETRY_DATA_DIR", defaultValue = "data") String dataDir,
                    @ConfigProperty(name = "DB_URL", defaultValue = "jdbc:h2:file:./data/flowretry") String ownUrl) {
        this(Path.of(dataDir).resolve(APPS), ownUrl);
    }

    /**
     * @param appsDir the only folder H2 file apps may lie in
     * @param ownUrl  the application's own database URL: never a connection's, whatever folder it is in
     */
    public JdbcUrls(Path appsDir, String ownUrl) {
        this.appsDir = appsDir.toAbsolutePath().normalize();
        this.ownDatabase = ownUrl != null && ownUrl.startsWith(H2) ? h2File(h2Name(ownUrl)).orElse(null) : null;
    }

    /** The folder H2 file apps must lie in (absolute). */
    public Path appsDir() {
        return appsDir;
    }

    /** Why {@code url} may not be opened, or empty when it may. */
    public Optional<String> refusal(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.startsWith(H2)) {
            return h2(url);
        }
        if (url.startsWith(POSTGRESQL)) {
            return postgresql(url);
        }
        return Optional.of("must start with jdbc:h2: or jdbc:postgresql: (the drivers this product supports)");
    }

    /** What the pool calls before it opens a connection. */
    void check(String name, String url) throws SQLNonTransientConnectionException {
        var refused = refusal(url);
        if (refused.isPresent()) {
            throw new SQLNonTransientConnectionException(
                    "the connection's jdbcUrl is refused (" + refused.get() + "); an admin must correct connection " + name, "08004");
        }
    }

    private Optional<String> h2(String url) {
        var name = h2Name(url);
        int semicolon = url.indexOf(';');
        if (semicolon >= 0) {
            var settings = settings(url.substring(semicolon + 1));
            if (settings.isEmpty()) {
                return Optional.of("an H2 setting may not contain a backslash");
            }
            for (String[] setting : settings.get()) {
                var refused = h2Setting(setting[0], setting[1]);
                if (refused.isPresent()) {
                    return refused;
                }
            }
        }
        if (H2_REMOTE.matcher(name).matches() || H2_MEMORY.matcher(name).matches()) {
            return Optional.empty();
        }
        if (name.startsWith("tcp:") || name.startsWith("ssl:")) {
            return Optional.of("an H2 server URL is jdbc:h2:tcp://HOST[:PORT]/DATABASE");
        }
        if (name.startsWith("mem:")) {
            return Optional.of("an H2 in-memory name holds letters, digits, _ and - only");
        }
        var file = h2File(name);
        if (file.isEmpty()) {
            return Optional.of("an H2 file is jdbc:h2:file:PATH with an absolute PATH (or ./PATH) of letters, digits, _ . / - and spaces"
                    + " under " + appsDir + "; or use jdbc:h2:tcp://HOST/… or jdbc:h2:mem:NAME");
        }
        if (!file.get().startsWith(appsDir) || file.get().equals(appsDir)) {
            return Optional.of("an H2 file must lie under " + appsDir);
        }
        if (file.get().equals(ownDatabase)) {
            return Optional.of("is the application's own database");
        }
        return Optional.empty();
    }

    private static Optional<String> h2Setting(String rawKey, String value) {
        // H2 upper-cases keys with the English locale (so "ınıt" is INIT); compare the same way
        var key = rawKey.toUpperCase(Locale.ENGLISH);
        var allowed = KEY.matcher(key).matches() ? H2_SETTINGS.get(key) : null;
        if (allowed == null) {
            return Optional.of("the H2 setting " + shown(rawKey) + " is not allowed (allowed: " + String.join(", ", H2_SETTINGS.keySet().stream().sorted().toList()) + ")");
        }
        if (value == null || !allowed.matcher(value).matches()) {
            return Optional.of("the H2 setting " + key + " has a value that is not allowed");
        }
        return Optional.empty();
    }

    /** The database part of an H2 URL: after {@code jdbc:h2:}, up to the first {@code ;} (as H2 splits it). */
    private static String h2Name(String url) {
        int semicolon = url.indexOf(';');
        return url.substring(H2.length(), semicolon < 0 ? url.length() : semicolon);
    }

    /** An H2 file database's absolute path, if the name is a plain local file name. */
    private static Optional<Path> h2File(String name) {
        var path = name.startsWith("file:") ? name.substring("file:".length()) : name;
        // no ':' (no H2 file-system prefix such as nio:, split:, zip:), no '~' (the home folder), no '\'
        if (!H2_FILE.matcher(path).matches() || !(path.startsWith("/") || path.startsWith("./"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(path).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * Splits H2's settings the way H2 does ({@code ;}-separated, a backslash escapes the next
     * character); empty when a backslash occurs, since no allowed value needs one.
     */
    private static Optional<List<String[]>> settings(String text) {
        if (text.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        var list = new ArrayList<String[]>();
        for (String setting : text.split(";", -1)) {
            if (setting.isEmpty()) {
                continue;
            }
            int equal = setting.indexOf('=');
            list.add(equal < 0 ? new String[]{setting, null} : new String[]{setting.substring(0, equal), setting.substring(equal + 1)});
        }
        return Optional.of(list);
    }

    private static Optional<String> postgresql(String url) {
        int question = url.indexOf('?');
        var server = url.substring(POSTGRESQL.length(), question < 0 ? url.length() : question);
        String database;
        if (server.startsWith("//")) {
            int slash = server.indexOf('/', 2);
            if (slash < 0 || !HOSTS.matcher(server.substring(2, slash)).matches()) {
                return Optional.of("a PostgreSQL URL is jdbc:postgresql://HOST[:PORT]/DATABASE");
            }
            database = server.substring(slash + 1);
        } else {
            database = server;
        }
        var decoded = decode(database);
        if (decoded.isEmpty() || !PG_DATABASE.matcher(decoded.get()).matches()) {
            return Optional.of("the PostgreSQL database name holds letters, digits and _ . $ - only");
        }
        if (question < 0) {
            return Optional.empty();
        }
        for (String parameter : url.substring(question + 1).split("&", -1)) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equal = parameter.indexOf('=');
            var name = equal < 0 ? parameter : parameter.substring(0, equal);
            var allowed = PARAMETER.matcher(name).matches() ? POSTGRESQL_PARAMETERS.get(name) : null;
            if (allowed == null) {
                return Optional.of("the PostgreSQL parameter " + shown(name) + " is not allowed (allowed: "
                        + String.join(", ", POSTGRESQL_PARAMETERS.keySet().stream().sorted().toList()) + ")");
            }
            var value = equal < 0 ? Optional.of("") : decode(parameter.substring(equal + 1));
            if (value.isEmpty() || !allowed.matcher(value.get()).matches()) {
                return Optional.of("the PostgreSQL parameter " + name + " has a value that is not allowed");
            }
        }
        return Optional.empty();
    }

    /** pgjdbc URL-decodes names and values: so must the check. */
    private static Optional<String> decode(String text) {
        try {
            return Optional.of(URLDecoder.decode(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A name from the URL, short and printable, for an error text. */
    private static String shown(String name) {
        var cut = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
