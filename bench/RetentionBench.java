import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Retention at 1,000,000 rows of each kind it deletes (issue 15): one deployment's bucket holds N
 * RESOLVED items last tried 60 days ago, each with an attempt, and one retry run that ended 100 days
 * ago with N snapshot items; besides them 10,000 FAILED (exhausted) items as old, which retention must
 * keep. The rows are written straight into the application's tables (the product's own migrations made
 * them), then {@code POST /api/retention} runs one pass with the product's defaults (30 / 90 days,
 * batches of 500) while a second client reads the bucket view's FAILED page (50 rows) one request after
 * another. Prints the deletes per second and the view's latency before and during the pass; on
 * PostgreSQL also the plans of the pass's statements (EXPLAIN after ANALYZE). Run through
 * {@code bench/retention}; server, databases and helpers are {@link ResyncBench}'s.
 */
public class RetentionBench {

    static final long ITEM_IDS = 1_000_000_000_000L;
    static final long ATTEMPT_IDS = 2_000_000_000_000L;
    static final long RUN_ITEM_IDS = 3_000_000_000_000L;
    static final long RUN_ID = 4_000_000_000_000L;
    static final int KEPT = 10_000;

    public static void main(String[] args) throws Exception {
        String db = "postgres";
        int items = 1_000_000;
        int port = 18095;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--db" -> db = args[i + 1];
                case "--items" -> items = Integer.parseInt(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var bench = new ResyncBench(db, 0, 1000, "1g", port, 1);
        ResyncBench.deleteTree(bench.work);
        java.nio.file.Files.createDirectories(bench.work);
        String appUrl = bench.prepareDatabases();
        bench.seedSource();
        Process server = bench.startServer(appUrl);
        try {
            bench.waitReady();
            long deployment = bench.setUpFlow("{\"mode\": \"MANUAL\"}");
            if (db.equals("h2")) { // the embedded file is the server's while it runs
                bench.stop(server);
            }
            long t0 = System.nanoTime();
            try (var c = bench.connect(appUrl)) {
                seed(c, deployment, items);
                if (db.equals("postgres")) {
                    try (var s = c.createStatement()) {
                        s.execute("analyze bucket_items; analyze attempts; analyze run_items; analyze retry_runs; analyze executions");
                    }
                    explain(c, deployment);
                }
            }
            System.out.printf(Locale.ROOT, "seeded %,d items, %,d attempts, %,d snapshot items in %.0f s%n",
                    items + KEPT, items + KEPT, items, (System.nanoTime() - t0) / 1e9);
            if (db.equals("h2")) {
                server = bench.startServer(appUrl);
                bench.waitReady();
            }
            String page = "/api/deployments/" + deployment + "/bucket?status=FAILED&limit=50";
            var before = new ArrayList<Double>();
            for (int i = 0; i < 230; i++) {
                double ms = timedGet(bench, page);
                if (i >= 30) {
                    before.add(ms);
                }
            }
            var during = Collections.synchronizedList(new ArrayList<Double>());
            var running = new AtomicBoolean(true);
            var reader = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        during.add(timedGet(bench, page));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            long p0 = System.nanoTime();
            String pass = bench.post("/api/retention", "{}");
            double seconds = (System.nanoTime() - p0) / 1e9;
            running.set(false);
            reader.join();
            long deleted = ResyncBench.idOf(pass, "bucketItems") + ResyncBench.idOf(pass, "attempts") + ResyncBench.idOf(pass, "runItems");
            System.out.println("pass: " + pass);
            try (var c = bench.connect(appUrl)) {
                long left = ResyncBench.count(c, "select count(*) from bucket_items where deployment_id = " + deployment);
                long failed = ResyncBench.count(c, "select count(*) from bucket_items where deployment_id = " + deployment + " and status = 'FAILED'");
                long runItems = ResyncBench.count(c, "select count(*) from run_items where run_id = " + RUN_ID);
                if (left != KEPT || failed != KEPT || runItems != 0) {
                    throw new IllegalStateException("left " + left + " items (" + failed + " FAILED), " + runItems + " snapshot items");
                }
            }
            before.sort(null);
            var sorted = new ArrayList<>(during);
            sorted.sort(null);
            System.out.printf(Locale.ROOT, "RESULT | %s | %,d | %,d | %.0f | %,.0f | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f (%,d requests) |%n",
                    db, items, deleted, seconds, deleted / seconds,
                    BucketViewBench.percentile(before, 50), BucketViewBench.percentile(before, 95), before.getLast(),
                    BucketViewBench.percentile(sorted, 50), BucketViewBench.percentile(sorted, 95), sorted.getLast(), sorted.size());
        } finally {
            bench.stop(server);
            bench.stopH2();
        }
    }

    static double timedGet(ResyncBench bench, String path) throws Exception {
        long t0 = System.nanoTime();
        var r = ResyncBench.HTTP.send(HttpRequest.newBuilder(URI.create(bench.base() + path)).header("Authorization", bench.auth).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + r.statusCode());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** N resolved items with an attempt each, 10,000 old failed ones, one old run with N snapshot items; committed every 5,000. */
    static void seed(Connection c, long deployment, int items) throws SQLException {
        c.setAutoCommit(false);
        var now = OffsetDateTime.now(ZoneOffset.UTC);
        var tried = now.minus(Duration.ofDays(60));
        var ended = now.minus(Duration.ofDays(100));
        try (var run = c.prepareStatement("insert into retry_runs (id, deployment_id, trigger_type, started_by, status, started_at,"
                + " finished_at, flow_version, picked, succeeded, failed, lock_version) values (?, ?, 'MANUAL', 'bench', 'COMPLETED', ?, ?, 1, ?, ?, 0, 0)")) {
            run.setLong(1, RUN_ID);
            run.setLong(2, deployment);
            run.setObject(3, ended.minusMinutes(10));
            run.setObject(4, ended);
            run.setInt(5, items);
            run.setInt(6, items);
            run.executeUpdate();
        }
        try (var item = c.prepareStatement("insert into bucket_items (id, deployment_id, source_id, node_name, status, queue_state,"
                + " tries, auto_tries, last_attempt_at, next_attempt_at, error_class, last_error, created_at, lock_version)"
                + " values (?, ?, ?, 'destination', ?, ?, 1, 4, ?, ?, ?, ?, ?, 0)");
             var attempt = c.prepareStatement("insert into attempts (id, item_id, attempted_at, trigger_type, outcome, error_class, error)"
                     + " values (?, ?, ?, 'MANUAL', ?, ?, ?)");
             var runItem = c.prepareStatement("insert into run_items (id, run_id, item_id, source_id, outcome, input_json, output_json, attempted_at)"
                     + " values (?, ?, ?, ?, 'SUCCESS', ?, ?, ?)")) {
            for (int i = 0; i < items + KEPT; i++) {
                boolean failed = i >= items;
                String sourceId = String.valueOf(i + 1);
                item.setLong(1, ITEM_IDS + i);
                item.setLong(2, deployment);
                item.setString(3, sourceId);
                item.setString(4, failed ? "FAILED" : "SUCCESS");
                item.setString(5, failed ? "EXHAUSTED" : "RESOLVED");
                item.setObject(6, tried);
                item.setObject(7, tried);
                item.setString(8, failed ? "DATA" : null);
                item.setString(9, failed ? "email: \"broken\" does not match pattern ^[^@]+@[^@]+$" : null);
                item.setObject(10, tried);
                item.addBatch();
                attempt.setLong(1, ATTEMPT_IDS + i);
                attempt.setLong(2, ITEM_IDS + i);
                attempt.setObject(3, tried);
                attempt.setString(4, failed ? "FAILED" : "SUCCESS");
                attempt.setString(5, failed ? "DATA" : null);
                attempt.setString(6, failed ? "email: \"broken\" does not match pattern ^[^@]+@[^@]+$" : null);
                attempt.addBatch();
                if (!failed) {
                    runItem.setLong(1, RUN_ITEM_IDS + i);
                    runItem.setLong(2, RUN_ID);
                    runItem.setLong(3, ITEM_IDS + i);
                    runItem.setString(4, sourceId);
                    runItem.setString(5, "{\"id\":" + sourceId + ",\"email\":\"user" + sourceId + "@example.com\",\"full_name\":\"Contact " + sourceId + "\"}");
                    runItem.setString(6, "{\"email\":\"user" + sourceId + "@example.com\",\"name\":\"Contact " + sourceId + "\",\"country\":\"DE\"}");
                    runItem.setObject(7, ended);
                    runItem.addBatch();
                }
                if ((i + 1) % 5000 == 0) {
                    item.executeBatch();
                    attempt.executeBatch();
                    runItem.executeBatch();
                    c.commit();
                }
            }
            item.executeBatch();
            attempt.executeBatch();
            runItem.executeBatch();
            c.commit();
        }
        c.setAutoCommit(true);
    }

    /** The plans of RetentionBatches' statements with this data (its text, with the product's batch of 500). */
    static void explain(Connection c, long deployment) throws SQLException {
        var cutoff = "timestamptz '" + OffsetDateTime.now(ZoneOffset.UTC).minusDays(30) + "'";
        var old = "timestamptz '" + OffsetDateTime.now(ZoneOffset.UTC).minusDays(90) + "'";
        var ids = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            ids.append(i == 0 ? "" : ", ").append(ITEM_IDS + i);
        }
        var statements = List.of(
                "select id from bucket_items where deployment_id = " + deployment + " and queue_state = 'RESOLVED' and last_attempt_at < "
                        + cutoff + " order by last_attempt_at, id fetch first 500 rows only",
                "select id from bucket_items where id in (" + ids + ") and queue_state = 'RESOLVED' and status <> 'FAILED' and last_attempt_at < "
                        + cutoff + " for update",
                "delete from attempts where item_id in (" + ids + ")",
                "delete from bucket_items where id in (" + ids + ")",
                "select r.id from retry_runs r where r.deployment_id = " + deployment + " and r.finished_at < " + old
                        + " and exists (select 1 from run_items i where i.run_id = r.id) order by r.id",
                "select id from run_items where run_id = " + RUN_ID + " order by id fetch first 500 rows only",
                "select id from executions where deployment_id = " + deployment + " and status <> 'STARTED' and finished_at < " + old
                        + " order by id fetch first 500 rows only");
        c.setAutoCommit(false);
        try (var s = c.createStatement()) {
            for (var sql : statements) {
                System.out.println("PLAN " + (sql.length() > 160 ? sql.substring(0, 160).replaceAll("\\(\\d+(, \\d+)+", "(…") + " …" : sql));
                try (var rs = s.executeQuery("explain (analyze, costs off, timing on) " + sql)) {
                    while (rs.next()) {
                        System.out.println("PLAN     " + rs.getString(1).replaceAll("\\{(\\d+),[\\d,]+,(\\d+)\\}", "{$1,…,$2}"));
                    }
                }
            }
        } finally {
            c.rollback(); // EXPLAIN ANALYZE ran the deletes: undone
            c.setAutoCommit(true);
        }
    }
}
