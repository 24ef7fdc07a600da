import io.flowretry.metrics.control.GaugeQueries;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * What one /metrics refresh costs the database at N bucket items: GaugeQueries (the product's own
 * code, from target/classes) over the due index on H2 (file) and PostgreSQL, median of 11 refreshes.
 * bucket_items has the columns and indexes of the migrations; 20 deployments; 60 % resolved,
 * 25 % queued, 10 % exhausted, 5 % parked.
 *   java -cp "target/classes:target/bench-lib/*" bench/GaugeBench.java --db h2|postgres --items 1000000
 */
public class GaugeBench {

    public static void main(String[] args) throws Exception {
        var db = arg(args, "--db", "h2");
        int items = Integer.parseInt(arg(args, "--items", "1000000"));
        String url;
        if (db.equals("postgres")) {
            try (var admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 var s = admin.createStatement()) {
                s.execute("drop database if exists flowretry_bench_gauges");
                s.execute("create database flowretry_bench_gauges");
            }
            url = "jdbc:postgresql://127.0.0.1:5432/flowretry_bench_gauges";
        } else {
            var dir = java.nio.file.Path.of("target/bench-gauges").toAbsolutePath();
            if (java.nio.file.Files.exists(dir)) {
                try (var files = java.nio.file.Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            url = "jdbc:h2:file:" + dir + "/db";
        }
        try (var c = DriverManager.getConnection(url, db.equals("postgres") ? "postgres" : "sa", "")) {
            long fill = System.nanoTime();
            fill(c, items);
            System.out.printf("filled %,d items in %.1f s%n", items, (System.nanoTime() - fill) / 1e9);
            var times = new ArrayList<Double>();
            int rows = 0;
            for (int i = 0; i < 11; i++) {
                long t = System.nanoTime();
                var deployments = GaugeQueries.deployments(c);
                rows = GaugeQueries.bucketDepths(c, deployments).size();
                GaugeQueries.oldestDueSeconds(c, deployments, Instant.now());
                times.add((System.nanoTime() - t) / 1e6);
            }
            var sorted = times.stream().sorted().toList();
            System.out.printf("RESULT | %s | %,d | %d | %.0f ms | %.0f ms | %.0f ms |%n", db, items, rows,
                    sorted.get(5), sorted.getFirst(), sorted.getLast());
        }
    }

    static void fill(Connection c, int items) throws Exception {
        c.setAutoCommit(false);
        try (var s = c.createStatement()) {
            s.execute("create table environments (id bigint primary key, name varchar(100) not null)");
            s.execute("create table deployments (id bigint primary key, environment_id bigint not null references environments (id),"
                    + " undeployed_at timestamp with time zone)");
            s.execute("create table bucket_items (id bigint primary key, deployment_id bigint not null references deployments (id),"
                    + " source_id varchar(200) not null, node_name varchar(100) not null, status varchar(10) not null,"
                    + " queue_state varchar(10) not null, tries integer not null, auto_tries integer not null,"
                    + " last_attempt_at timestamp with time zone not null, next_attempt_at timestamp with time zone not null,"
                    + " error_class varchar(20), last_error varchar(4000), created_at timestamp with time zone not null,"
                    + " lock_version bigint not null, constraint ux_bucket_items_source unique (deployment_id, source_id))");
            s.execute("create index ix_bucket_items_due on bucket_items (deployment_id, queue_state, next_attempt_at, id)");
            s.execute("create index ix_bucket_items_status on bucket_items (deployment_id, status, source_id)");
            s.execute("insert into environments values (1, 'Bench')");
            for (int d = 1; d <= 20; d++) {
                s.execute("insert into deployments values (" + d + ", 1, null)");
            }
        }
        var now = Instant.now();
        try (var ps = c.prepareStatement("insert into bucket_items values (?, ?, ?, 'CRM', ?, ?, 1, 1, ?, ?, 'DATA', 'bad email', ?, 0)")) {
            for (int i = 1; i <= items; i++) {
                int p = i % 20;
                var state = p < 12 ? "RESOLVED" : p < 17 ? "QUEUED" : p < 19 ? "EXHAUSTED" : "PARKED";
                ps.setLong(1, i);
                ps.setLong(2, 1 + (i / 7) % 20);
                ps.setString(3, "c" + i);
                ps.setString(4, state.equals("RESOLVED") ? "SUCCESS" : "FAILED");
                ps.setString(5, state);
                var at = Timestamp.from(now.minusSeconds(i % 86_400));
                ps.setTimestamp(6, at);
                ps.setTimestamp(7, Timestamp.from(at.toInstant().plusSeconds(1200)));
                ps.setTimestamp(8, at);
                ps.addBatch();
                if (i % 5000 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            c.setAutoCommit(true);
            try (var s = c.createStatement()) {
                s.execute("vacuum analyze bucket_items");
            }
        } else {
            try (var s = c.createStatement()) {
                s.execute("analyze");
            }
            c.commit();
        }
        c.setAutoCommit(true);
    }

    static String arg(String[] args, String name, String fallback) {
        int i = Arrays.asList(args).indexOf(name);
        return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
    }
}
