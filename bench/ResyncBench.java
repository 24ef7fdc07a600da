import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The resync job's throughput against a plain-JDBC loop doing the same reads and writes in
 * batches (the ceiling, the best of --ceiling-passes passes, 3 by default), in one run, plus the
 * server's peak heap. Run through bench/run.
 *
 * <p>Steps: a source table of N contacts whose e-mails all fail the mapping; the flow is deployed
 * (AUTO retry, time lapse 0) and executed, so N records land in the bucket; the source is fixed;
 * "run the automatic retry now" resyncs all N (re-read by id, map, upsert, record). Then, with the
 * server stopped, two plain-JDBC loops over the same N records, one batch per transaction:
 * <ul>
 * <li><b>same writes</b> (the ceiling the target is measured against): on the application's own
 * tables, after putting the bucket back as it was (every item due): the job's due query page by
 * page, the source read by ids, the destination upsert (its own database and commit, as for the
 * job), then the bucket items' update, the attempts, the snapshot's run items with their JSON and
 * the run's counters, with the same indexes and foreign keys the job's writes maintain;</li>
 * <li><b>bare</b> (the ceiling of the first runs, kept for comparison): the source read, the
 * upsert, an update of a bucket-like table and an insert into an attempt-like table, neither with
 * secondary indexes or foreign keys, no run items, one commit.</li>
 * </ul>
 * Neither loop claims items: claims (row locks) are part of what the job pays for running safely
 * beside other runs.
 */
public class ResyncBench {

    static final Pattern NUMBER = Pattern.compile("\"%s\"\\s*:\\s*(-?\\d+)");
    static final Pattern STRING = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final String db;
    final int items;
    final int batch;
    final String xmx;
    final int port;
    final int ceilingPasses;
    final Path work;
    final String auth = "Basic " + Base64.getEncoder().encodeToString("admin:bench-admin".getBytes(StandardCharsets.UTF_8));
    String srcUrl;
    String dstUrl;
    String dbUser = "sa";
    Object h2Server;

    /** Names this run's PostgreSQL databases and Payara cluster ({@code BENCH_NAME}), so runs of two checkouts never meet. */
    static final String NAME = System.getenv().getOrDefault("BENCH_NAME", "bench").replaceAll("[^a-z0-9_]", "");

    ResyncBench(String db, int items, int batch, String xmx, int port, int ceilingPasses) {
        this.ceilingPasses = ceilingPasses;
        this.db = db;
        this.items = items;
        this.batch = batch;
        this.xmx = xmx;
        this.port = port;
        this.work = Path.of("target/bench", db).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        String db = "h2", xmx = "1g";
        int items = 100_000, batch = 100, port = 18080, ceilingPasses = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--db" -> db = args[i + 1];
                case "--items" -> items = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--ceiling-passes" -> ceilingPasses = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new ResyncBench(db, items, batch, xmx, port, ceilingPasses).run();
    }

    void run() throws Exception {
        deleteTree(work);
        Files.createDirectories(work);
        String appUrl = prepareDatabases();
        seedSource();

        Process server = startServer(appUrl);
        var peakHeap = new AtomicLong();
        try {
            waitReady();
            long deployment = setUpFlow();
            long execStart = System.nanoTime();
            long execution = idOf(post("/api/deployments/" + deployment + "/executions", "{}"), "executionId");
            String done = waitFor("/api/executions/" + execution, 3600);
            double execSeconds = (System.nanoTime() - execStart) / 1e9;
            int failed = number(done, "failed");
            if (failed != items) {
                throw new IllegalStateException("expected " + items + " failures in the main run, got " + done);
            }
            fixSource();

            Thread sampler = heapSampler(server.pid(), peakHeap);
            long t0 = System.nanoTime();
            long run = idOf(post("/api/deployments/" + deployment + "/retry-runs", "{}"), "runId");
            String snapshot = waitFor("/api/retry-runs/" + run + "?limit=1", 7200);
            double wall = (System.nanoTime() - t0) / 1e9;
            sampler.interrupt();
            int succeeded = number(snapshot, "succeeded");
            double jobSeconds = Duration.between(Instant.parse(string(snapshot, "startedAt")),
                    Instant.parse(string(snapshot, "finishedAt"))).toMillis() / 1000.0;
            long written = count(dstUrl, "select count(*) from customers");
            if (succeeded != items || written != items) {
                throw new IllegalStateException("resync: succeeded " + succeeded + ", destination rows " + written + " of " + items);
            }
            stop(server);
            // the best of several passes: the loop's speed varies by ±20 % from pass to pass (the
            // database file's state, the JIT), and the target must hold against its fastest
            double sameWrites = 0;
            for (int pass = 0; pass < ceilingPasses; pass++) {
                double one = sameWritesCeiling(appUrl, deployment, run);
                System.out.printf(Locale.ROOT, "same-writes ceiling, pass %d: %.0f items/s%n", pass + 1, one);
                sameWrites = Math.max(sameWrites, one);
            }
            double bare = ceiling();
            double job = items / jobSeconds;
            System.out.printf(Locale.ROOT, "RESULT | %s | %,d | %d | %s | %.0f | %.0f (wall %.1f s) | %.0f | **%.0f %%** | %.0f | %.0f %% | %,d MiB |%n",
                    db, items, batch, xmx, items / execSeconds, job, wall, sameWrites, 100 * job / sameWrites, bare, 100 * job / bare,
                    peakHeap.get() / 1024 / 1024);
        } finally {
            stop(server);
            stopH2();
        }
    }

    // --- databases -------------------------------------------------------------------------

    String prepareDatabases() throws Exception {
        if (db.equals("postgres")) {
            dbUser = "postgres";
            try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                 var s = c.createStatement()) {
                for (var name : List.of(NAME + "_src", NAME + "_dst", "flowretry_" + NAME)) {
                    s.execute("drop database if exists " + name + " with (force)");
                    s.execute("create database " + name);
                }
            }
            srcUrl = "jdbc:postgresql://127.0.0.1:5432/" + NAME + "_src";
            dstUrl = "jdbc:postgresql://127.0.0.1:5432/" + NAME + "_dst";
            return "jdbc:postgresql://127.0.0.1:5432/flowretry_" + NAME;
        }
        System.setProperty("h2.bindAddress", "127.0.0.1");
        var serverClass = Class.forName("org.h2.tools.Server");
        h2Server = serverClass.getMethod("createTcpServer", String[].class)
                .invoke(null, (Object) new String[]{"-tcpPort", "0", "-ifNotExists", "-baseDir", work.resolve("apps").toString()});
        serverClass.getMethod("start").invoke(h2Server);
        int tcpPort = (int) serverClass.getMethod("getPort").invoke(h2Server);
        srcUrl = "jdbc:h2:tcp://127.0.0.1:" + tcpPort + "/src";
        dstUrl = "jdbc:h2:tcp://127.0.0.1:" + tcpPort + "/dst";
        return "jdbc:h2:file:" + work.resolve("flowretry");
    }

    void stopH2() throws Exception {
        if (h2Server != null) {
            h2Server.getClass().getMethod("stop").invoke(h2Server);
            h2Server = null;
        }
    }

    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, dbUser, "");
    }

    void seedSource() throws SQLException {
        try (var c = connect(srcUrl); var s = c.createStatement()) {
            s.execute("create table contacts (id bigint primary key, email varchar(200), full_name varchar(200))");
            c.setAutoCommit(false);
            insertContacts(c, 0, items);
        }
        try (var c = connect(dstUrl); var s = c.createStatement()) {
            s.execute("create table customers (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(10))");
            s.execute("create table customers_ceiling (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(10))");
        }
    }

    /** Contacts from+1..to whose e-mails all fail the mapping, committed every 1,000 ({@code c} not auto-committing). */
    static void insertContacts(Connection c, int from, int to) throws SQLException {
        try (var insert = c.prepareStatement("insert into contacts values (?, ?, ?)")) {
            for (int i = from + 1; i <= to; i++) {
                insert.setLong(1, i);
                insert.setString(2, "broken-" + i);
                insert.setString(3, "Contact " + i);
                insert.addBatch();
                if (i % 1000 == 0) {
                    insert.executeBatch();
                    c.commit();
                }
            }
            insert.executeBatch();
            c.commit();
        }
    }

    void fixSource() throws SQLException {
        try (var c = connect(srcUrl); var s = c.createStatement()) {
            s.executeUpdate("update contacts set email = 'user' || id || '@example.com'");
        }
    }

    long count(String url, String sql) throws SQLException {
        try (var c = connect(url); var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    // --- the application -------------------------------------------------------------------

    Process startServer(String appUrl) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "-Dhazelcast.socket.bind.any=false"));
        // profiling: e.g. BENCH_SERVER_OPTS='-XX:StartFlightRecording:filename=/tmp/s.jfr,jdk.SocketRead#threshold=0ms'
        var extra = System.getenv().getOrDefault("BENCH_SERVER_OPTS", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", glob("target", "payara-micro-*.jar"),
                "--domainconfig", "domain.xml", "--addlibs", glob("target/lib", "postgresql-*.jar"),
                "--nocluster", "--clustername", NAME, "--port", String.valueOf(port), "--disablephonehome", "--deploy", "target/ROOT.war"));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
        var env = pb.environment();
        env.put("DB_URL", appUrl);
        env.put("DB_USER", dbUser);
        env.put("DB_PASSWORD", "");
        env.put("DB_DRIVER", db.equals("postgres") ? "org.postgresql.Driver" : "org.h2.Driver");
        env.put("FLOWRETRY_DATA_DIR", work.toString());
        env.put("ADMIN_PASSWORD", "bench-admin");
        env.put("DEMO_DATA", "false");
        return pb.start();
    }

    static String glob(String dir, String pattern) throws IOException {
        try (var stream = Files.newDirectoryStream(Path.of(dir), pattern)) {
            for (var p : stream) {
                return p.toString();
            }
        }
        throw new IllegalStateException("nothing matches " + dir + "/" + pattern + ": run mvn package first");
    }

    void stop(Process server) throws InterruptedException {
        if (server.isAlive()) {
            server.destroy();
            server.waitFor();
        }
    }

    /** How long a start may take ({@code BENCH_READY_SECONDS}): default 600: with six suites on two cores (load 30-45) a start took over 2 minutes. */
    static final int READY_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_READY_SECONDS", "600"));

    void waitReady() throws Exception {
        for (int i = 0; i < 2 * READY_SECONDS; i++) {
            try {
                var r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not become ready; see " + work.resolve("server.log"));
    }

    long setUpFlow() throws Exception {
        return setUpFlow("""
                {"mode": "AUTO", "frequency": "HOURLY", "intervalHours": 23, "timeLapseMinutes": 0, "batchSize": %d}""".formatted(batch));
    }

    long setUpFlow(String retry) throws Exception {
        long env = idOf(post("/api/environments", "{\"name\":\"bench\"}"), "id");
        post("/api/connections", "{\"name\":\"SRC\",\"type\":\"JDBC\",\"jdbcUrl\":\"%s\",\"username\":\"%s\",\"password\":\"\"}".formatted(srcUrl, dbUser));
        post("/api/connections", "{\"name\":\"DST\",\"type\":\"JDBC\",\"jdbcUrl\":\"%s\",\"username\":\"%s\",\"password\":\"\"}".formatted(dstUrl, dbUser));
        long flow = idOf(post("/api/process-flows", """
                {"name": "bench", "description": "contacts to customers",
                 "source": {"connection": "SRC", "table": "contacts", "idColumn": "id"},
                 "mapping": [{"target": "email", "source": "email", "required": true, "pattern": "^[^@]+@[^@]+$"},
                             {"target": "name", "source": "full_name", "required": true},
                             {"target": "country", "value": "DE"}],
                 "destination": {"connection": "DST", "table": "customers", "keyColumn": "source_id"}}"""), "id");
        return idOf(post("/api/environments/" + env + "/deployments", """
                {"flowId": %d, "retry": %s}""".formatted(flow, retry)), "deploymentId");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String post(String path, String json) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    String get(String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    String waitFor(String path, int maxSeconds) throws Exception {
        // once a second: the job's rate comes from the run's own startedAt/finishedAt, and each poll
        // costs the server a snapshot read and the batch runtime's step metrics (at 4 polls a second
        // the polling took a third of the server's CPU samples during the resync)
        for (int i = 0; i < maxSeconds; i++) {
            var body = get(path);
            var status = string(body, "status");
            if (!"STARTED".equals(status) && !"STARTING".equals(status)) {
                if (!"COMPLETED".equals(status)) {
                    throw new IllegalStateException(path + " ended " + body);
                }
                return body;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException(path + " did not finish in " + maxSeconds + " s");
    }

    static long idOf(String json, String field) {
        var m = Pattern.compile(NUMBER.pattern().formatted(field)).matcher(json);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        var s = Pattern.compile(STRING.pattern().formatted(field)).matcher(json);
        if (s.find()) {
            return Long.parseLong(s.group(1));
        }
        throw new IllegalStateException("no " + field + " in " + json);
    }

    static int number(String json, String field) {
        return (int) idOf(json, field);
    }

    static String string(String json, String field) {
        var m = Pattern.compile(STRING.pattern().formatted(field)).matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** Samples the server's used heap (young + old, from jstat) until interrupted. */
    static Thread heapSampler(long pid, AtomicLong peakBytes) {
        var jstat = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        var t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    var p = new ProcessBuilder(jstat, "-gc", String.valueOf(pid)).redirectErrorStream(true).start();
                    // without the JVM's "Picked up JAVA_TOOL_OPTIONS" notice (a profiling run set it)
                    var lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                            .filter(l -> !l.startsWith("Picked up")).toArray(String[]::new);
                    p.waitFor();
                    if (lines.length == 2) {
                        var head = lines[0].trim().split("\\s+");
                        var vals = lines[1].trim().split("\\s+");
                        double kb = 0;
                        for (int i = 0; i < head.length; i++) {
                            if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
                                kb += Double.parseDouble(vals[i]);
                            }
                        }
                        peakBytes.accumulateAndGet((long) (kb * 1024), Math::max);
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception ignored) {
                    // a sample lost is no harm
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    // --- the ceilings ----------------------------------------------------------------------

    /**
     * Plain JDBC doing what the job does, on the application's tables (see the class comment).
     * The bucket is first put back: every item of the deployment FAILED and due, no tries.
     */
    double sameWritesCeiling(String appUrl, long deployment, long runId) throws SQLException {
        var pattern = Pattern.compile("^[^@]+@[^@]+$");
        boolean pg = db.equals("postgres");
        var past = java.sql.Timestamp.from(Instant.parse("2000-01-01T00:00:00Z"));
        try (var app = connect(appUrl); var src = connect(srcUrl); var dst = connect(dstUrl)) {
            try (var s = dst.createStatement()) {
                s.execute("create table if not exists customers_same (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(10))");
                s.execute("delete from customers_same");
            }
            long lastRowId = count(app, "select greatest((select coalesce(max(id), 0) from attempts), (select coalesce(max(id), 0) from run_items))");
            try (var reset = app.prepareStatement("update bucket_items set status = 'FAILED', queue_state = 'QUEUED', tries = 0,"
                    + " auto_tries = 0, last_attempt_at = ?, next_attempt_at = ?, error_class = 'DATA', last_error = 'email' where deployment_id = ?")) {
                reset.setTimestamp(1, past);
                reset.setTimestamp(2, past);
                reset.setLong(3, deployment);
                reset.executeUpdate();
            }
            app.setAutoCommit(false);
            dst.setAutoCommit(false);
            String upsert = pg
                    ? "insert into customers_same values (?, ?, ?, ?) on conflict (source_id) do update set email = excluded.email, name = excluded.name, country = excluded.country"
                    : "merge into customers_same key (source_id) values (?, ?, ?, ?)";
            long nextId = 1, lastId = 0, done = 0;
            long t0 = System.nanoTime();
            try (var due = app.prepareStatement("select id, source_id, next_attempt_at from bucket_items"
                    + " where deployment_id = ? and queue_state = 'QUEUED' and next_attempt_at <= ? and next_attempt_at >= ?"
                    + " and (next_attempt_at > ? or id > ?) and auto_tries < 4"
                    + " order by deployment_id, queue_state, next_attempt_at, id limit ?");
                 var write = dst.prepareStatement(upsert);
                 var update = app.prepareStatement("update bucket_items set node_name = ?, status = ?, queue_state = ?, tries = tries + 1,"
                         + " auto_tries = auto_tries + 1, last_attempt_at = ?, next_attempt_at = ?, error_class = ?, last_error = ?,"
                         + " lock_version = lock_version + 1 where id = ?");
                 var attempt = app.prepareStatement("insert into attempts (id, item_id, attempted_at, trigger_type, outcome, error_class,"
                         + " error, run_id, execution_id) values (?, ?, ?, 'AUTO', ?, ?, ?, ?, null)");
                 var runItem = app.prepareStatement("insert into run_items (id, run_id, item_id, source_id, outcome, error_class, error,"
                         + " input_json, output_json, attempted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 var counters = app.prepareStatement("update retry_runs set picked = picked + ?, succeeded = succeeded + ?,"
                         + " failed = failed + ?, heartbeat_at = ?, lock_version = lock_version + 1 where id = ?")) {
                var runAt = java.sql.Timestamp.from(Instant.now());
                var afterAt = past;
                long afterId = 0;
                while (true) {
                    var now = java.sql.Timestamp.from(Instant.now());
                    var page = new java.util.LinkedHashMap<Long, Long>(); // source id -> item id
                    due.setLong(1, deployment);
                    due.setTimestamp(2, runAt);
                    due.setTimestamp(3, afterAt);
                    due.setTimestamp(4, afterAt);
                    due.setLong(5, afterId);
                    due.setInt(6, batch);
                    try (var rs = due.executeQuery()) {
                        while (rs.next()) {
                            page.put(Long.parseLong(rs.getString(2)), rs.getLong(1));
                            afterId = rs.getLong(1);
                            afterAt = rs.getTimestamp(3);
                        }
                    }
                    if (page.isEmpty()) {
                        break;
                    }
                    var marks = String.join(",", java.util.Collections.nCopies(page.size(), "?"));
                    int ok = 0;
                    try (var read = src.prepareStatement("select id, email, full_name from contacts where id in (" + marks + ")")) {
                        int i = 0;
                        for (long id : page.keySet()) {
                            read.setLong(++i, id);
                        }
                        try (var rs = read.executeQuery()) {
                            while (rs.next()) {
                                long id = rs.getLong(1);
                                String email = rs.getString(2), name = rs.getString(3);
                                boolean success = pattern.matcher(email).matches() && name != null;
                                String input = "{\"id\":" + id + ",\"email\":\"" + email + "\",\"full_name\":\"" + name + "\"}";
                                String output = "{\"email\":\"" + email + "\",\"name\":\"" + name + "\",\"country\":\"DE\"}";
                                if (success) {
                                    ok++;
                                    write.setString(1, String.valueOf(id));
                                    write.setString(2, email);
                                    write.setString(3, name);
                                    write.setString(4, "DE");
                                    write.addBatch();
                                }
                                long itemId = page.get(id);
                                update.setString(1, "contacts");
                                update.setString(2, success ? "SUCCESS" : "FAILED");
                                update.setString(3, success ? "RESOLVED" : "QUEUED");
                                update.setTimestamp(4, now);
                                update.setTimestamp(5, now);
                                update.setString(6, success ? null : "DATA");
                                update.setString(7, success ? null : "email");
                                update.setLong(8, itemId);
                                update.addBatch();
                                for (var insert : List.of(attempt, runItem)) {
                                    if (nextId > lastId) { // app_seq blocks, as RowIds takes them
                                        lastId = count(app, "select nextval('app_seq')");
                                        nextId = lastId - 999;
                                    }
                                    insert.setLong(1, nextId++);
                                }
                                attempt.setLong(2, itemId);
                                attempt.setTimestamp(3, now);
                                attempt.setString(4, success ? "SUCCESS" : "FAILED");
                                attempt.setString(5, success ? null : "DATA");
                                attempt.setString(6, success ? null : "email");
                                attempt.setLong(7, runId);
                                attempt.addBatch();
                                runItem.setLong(2, runId);
                                runItem.setLong(3, itemId);
                                runItem.setString(4, String.valueOf(id));
                                runItem.setString(5, success ? "SUCCESS" : "FAILED");
                                runItem.setString(6, success ? null : "DATA");
                                runItem.setString(7, success ? null : "email");
                                runItem.setString(8, input);
                                runItem.setString(9, output);
                                runItem.setTimestamp(10, now);
                                runItem.addBatch();
                            }
                        }
                    }
                    write.executeBatch();
                    dst.commit();
                    update.executeBatch();
                    attempt.executeBatch();
                    runItem.executeBatch();
                    counters.setInt(1, page.size());
                    counters.setInt(2, ok);
                    counters.setInt(3, page.size() - ok);
                    counters.setTimestamp(4, now);
                    counters.setLong(5, runId);
                    counters.executeUpdate();
                    app.commit();
                    done += page.size();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (done != items) {
                throw new IllegalStateException("same-writes ceiling: " + done + " of " + items + " items");
            }
            try (var s = app.createStatement()) { // the next pass starts from the job's own rows again
                s.execute("delete from attempts where id > " + lastRowId);
                s.execute("delete from run_items where id > " + lastRowId);
                app.commit();
            }
            return items / seconds;
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The bare ceiling: source read, upsert, bucket-like update and attempt-like insert (no indexes, no run items). */
    double ceiling() throws SQLException {
        var pattern = Pattern.compile("^[^@]+@[^@]+$");
        boolean pg = db.equals("postgres");
        try (var src = connect(srcUrl); var dst = connect(dstUrl)) {
            try (var s = dst.createStatement()) {
                s.execute("create table bucket_ceiling (id bigint primary key, source_id varchar(200), status varchar(10), "
                        + "tries int, auto_tries int, last_attempt_at timestamp with time zone, next_attempt_at timestamp with time zone, "
                        + "queue_state varchar(10))");
                s.execute("create table attempts_ceiling (id bigint primary key, item_id bigint, attempted_at timestamp with time zone, "
                        + "trigger_type varchar(10), outcome varchar(10), error varchar(4000))");
                s.execute("insert into bucket_ceiling select x, cast(x as varchar(200)), 'FAILED', 0, 0, current_timestamp, current_timestamp, 'QUEUED' from "
                        + (pg ? "generate_series(1, " + items + ") as x" : "system_range(1, " + items + ") as t(x)"));
            }
            dst.setAutoCommit(false);
            String upsert = pg
                    ? "insert into customers_ceiling values (?, ?, ?, ?) on conflict (source_id) do update set email = excluded.email, name = excluded.name, country = excluded.country"
                    : "merge into customers_ceiling key (source_id) values (?, ?, ?, ?)";
            long t0 = System.nanoTime();
            try (var write = dst.prepareStatement(upsert);
                 var update = dst.prepareStatement("update bucket_ceiling set status = ?, tries = tries + 1, auto_tries = auto_tries + 1, "
                         + "last_attempt_at = ?, next_attempt_at = ?, queue_state = ? where id = ?");
                 var attempt = dst.prepareStatement("insert into attempts_ceiling values (?, ?, ?, 'AUTO', ?, null)")) {
                long attemptId = 0;
                for (int from = 1; from <= items; from += batch) {
                    int to = Math.min(items, from + batch - 1);
                    var now = java.sql.Timestamp.from(Instant.now());
                    var ids = new StringBuilder();
                    for (int i = from; i <= to; i++) {
                        ids.append(i == from ? "" : ",").append('?');
                    }
                    try (var read = src.prepareStatement("select id, email, full_name from contacts where id in (" + ids + ")")) {
                        for (int i = from; i <= to; i++) {
                            read.setLong(i - from + 1, i);
                        }
                        try (var rs = read.executeQuery()) {
                            while (rs.next()) {
                                long id = rs.getLong(1);
                                boolean ok = pattern.matcher(rs.getString(2)).matches() && rs.getString(3) != null;
                                if (ok) {
                                    write.setString(1, String.valueOf(id));
                                    write.setString(2, rs.getString(2));
                                    write.setString(3, rs.getString(3));
                                    write.setString(4, "DE");
                                    write.addBatch();
                                }
                                update.setString(1, ok ? "SUCCESS" : "FAILED");
                                update.setTimestamp(2, now);
                                update.setTimestamp(3, now);
                                update.setString(4, ok ? "RESOLVED" : "QUEUED");
                                update.setLong(5, id);
                                update.addBatch();
                                attempt.setLong(1, ++attemptId);
                                attempt.setLong(2, id);
                                attempt.setTimestamp(3, now);
                                attempt.setString(4, ok ? "SUCCESS" : "FAILED");
                                attempt.addBatch();
                            }
                        }
                    }
                    write.executeBatch();
                    update.executeBatch();
                    attempt.executeBatch();
                    dst.commit();
                }
            }
            return items / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
