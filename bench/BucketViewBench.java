import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bucket view's latency over HTTP as the bucket grows (issue 14): one deployment's bucket
 * filled by the product's own main execution to each size in turn (10,000, 100,000, 1,000,000 by
 * default), and at each size every page, filter and cursor the view offers, {@code GET
 * /api/deployments/{id}/bucket?…} (a page and its bounded total, what the console's table also
 * reads), 30 warm-up and 200 timed requests each, one at a time (before the first size, one
 * round untimed for the JIT). 1 % of the records are fixed at
 * the source before each execution after the first, so a small SUCCESS share exists. Run through
 * {@code bench/bucket-view}; the server, databases and helpers are {@link ResyncBench}'s.
 */
public class BucketViewBench {

    static final int WARM_UP = 30;
    static final int TIMED = 200;

    public static void main(String[] args) throws Exception {
        String db = "h2";
        int[] sizes = {10_000, 100_000, 1_000_000};
        int port = 18094;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--db" -> db = args[i + 1];
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var bench = new ResyncBench(db, 0, 1000, "1g", port, 1);
        ResyncBench.deleteTree(bench.work);
        java.nio.file.Files.createDirectories(bench.work);
        String appUrl = bench.prepareDatabases();
        bench.seedSource(); // the tables, no rows yet
        Process server = bench.startServer(appUrl);
        try {
            bench.waitReady();
            long deployment = bench.setUpFlow("{\"mode\": \"MANUAL\"}"); // no timer resyncs the bucket while it is measured
            int filled = 0;
            for (int size : sizes) {
                grow(bench, filled, size);
                long t0 = System.nanoTime();
                long execution = ResyncBench.idOf(bench.post("/api/deployments/" + deployment + "/executions", "{}"), "executionId");
                bench.waitFor("/api/executions/" + execution, 7200);
                System.out.printf(Locale.ROOT, "filled %,d source rows in %.0f s%n", size, (System.nanoTime() - t0) / 1e9);
                if (filled == 0) { // the server's first requests of each kind are its JIT's: a round untimed
                    for (var q : queries(size).entrySet()) {
                        measure(bench, null, size, deployment, q.getKey(), q.getValue());
                    }
                }
                filled = size;
                for (var q : queries(size).entrySet()) {
                    measure(bench, db, size, deployment, q.getKey(), q.getValue());
                }
            }
        } finally {
            bench.stop(server);
            bench.stopH2();
        }
    }

    /** Source rows from+1..to, all failing the mapping; before that, 1 % of the existing ones fixed. */
    static void grow(ResyncBench bench, int from, int to) throws Exception {
        try (var c = bench.connect(bench.srcUrl)) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.executeUpdate("update contacts set email = 'user' || id || '@example.com' where mod(id, 100) = 0");
            }
            c.commit();
            ResyncBench.insertContacts(c, from, to);
        }
    }

    /** Every page the view offers; source ids are "1".."N" in string order, so a cursor at "5" is mid-bucket. */
    static Map<String, String> queries(int size) {
        var q = new LinkedHashMap<String, String>();
        q.put("first page, no filter", "");
        q.put("status FAILED", "status=FAILED");
        q.put("status SUCCESS (1 %)", "status=SUCCESS");
        q.put("Source ID prefix 5 (11 %)", "sourceId=5");
        q.put("Source ID prefix 1234 (narrow)", "sourceId=1234");
        q.put("prefix 5 + FAILED", "sourceId=5&status=FAILED");
        q.put("prefix 5 + SUCCESS (rare in a wide prefix)", "sourceId=5&status=SUCCESS");
        q.put("prefix 5 + queue state QUEUED", "sourceId=5&queueState=QUEUED");
        q.put("prefix matching nothing", "sourceId=X");
        q.put("a page mid-bucket by cursor", "cursor=" + cursor("5"));
        q.put("mid-bucket by cursor, FAILED", "status=FAILED&cursor=" + cursor("5"));
        q.put("mid-bucket by cursor, SUCCESS", "status=SUCCESS&cursor=" + cursor("5"));
        q.put("queue state QUEUED", "queueState=QUEUED");
        q.put("queue state EXHAUSTED (none)", "queueState=EXHAUSTED");
        q.put("error class TRANSIENT (none)", "errorClass=TRANSIENT");
        q.put("newest Time Stamp first, FAILED", "sort=TIMESTAMP&status=FAILED");
        q.put("most Tries first, FAILED", "sort=TRIES&status=FAILED");
        q.put("by Status", "sort=STATUS");
        q.put("limit 500", "limit=500");
        return q;
    }

    /** The API's cursor for "after this source id" (BucketQueries.encodeCursor). */
    static String cursor(String sourceId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + sourceId).getBytes(StandardCharsets.UTF_8));
    }

    static void measure(ResyncBench bench, String db, int size, long deployment, String name, String query) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(bench.base() + "/api/deployments/" + deployment + "/bucket?" + query))
                .header("Authorization", bench.auth).build();
        var millis = new ArrayList<Double>();
        String body = null;
        for (int i = 0; i < WARM_UP + TIMED; i++) {
            long t0 = System.nanoTime();
            var r = ResyncBench.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(query + " -> " + r.statusCode() + " " + r.body());
            }
            body = r.body();
            if (i >= WARM_UP) {
                millis.add(ms);
            }
        }
        millis.sort(null);
        if (db == null) {
            return;
        }
        String total = ResyncBench.idOf(body, "total") + (body.contains("\"totalExact\":false") ? "+" : "");
        System.out.printf(Locale.ROOT, "RESULT | %s | %,d | %s | %.1f | %.1f | %.1f | %s |%n", db, size, name,
                percentile(millis, 50), percentile(millis, 95), millis.getLast(), total);
    }

    static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
