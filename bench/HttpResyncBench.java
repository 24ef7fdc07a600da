import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resync job against HTTP apps (issue 12): a CRM and an ERP served by this process on 127.0.0.1 that
 * answer after a delay (50 ms by default) and count their requests in flight. For each maxConcurrency
 * (1, 8, 32 by default) and each case, a fresh deployment: the main run puts N records in the bucket (the
 * CRM's e-mails fail the mapping), the CRM is fixed, and "run the automatic retry now" resyncs all N.
 * <ul>
 * <li><b>destination</b>: the ERP answers each PUT after the delay; the CRM answers a chunk's ids at once
 * ({@code itemsPath}) without delay. Limit: maxConcurrency × 1000/delay writes a second.</li>
 * <li><b>source</b>: the CRM answers each GET by id after the delay (no {@code itemsPath}); the ERP without
 * delay. Limit: the same, in reads.</li>
 * </ul>
 * Reports items/s (from the run's own startedAt/finishedAt), the limit, the peak in flight the app saw and
 * the CPU the server and this process spent per 1,000 items (the CPU bound: cores / CPU per item). Reuses
 * {@link ResyncBench} to start the server (H2 file database) and call its API. Run through bench/http.
 */
public class HttpResyncBench {

    final ResyncBench server;
    final int delayMillis;
    final List<Integer> concurrencies;
    final int maxItems;
    final int batch;
    HttpServer apps;
    String appsBase;
    volatile boolean broken;
    volatile long crmDelay;
    volatile long erpDelay;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    HttpResyncBench(int port, String xmx, int batch, int delayMillis, List<Integer> concurrencies, int maxItems) {
        this.server = new ResyncBench("h2", 0, batch, xmx, port, 1);
        this.batch = batch;
        this.delayMillis = delayMillis;
        this.concurrencies = concurrencies;
        this.maxItems = maxItems;
    }

    public static void main(String[] args) throws Exception {
        int port = 18080, batch = 100, delay = 50, maxItems = 10_000;
        String xmx = "1g";
        List<Integer> concurrencies = List.of(1, 8, 32);
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--delay" -> delay = Integer.parseInt(args[i + 1]);
                case "--items" -> maxItems = Integer.parseInt(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--concurrency" -> concurrencies = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new HttpResyncBench(port, xmx, batch, delay, concurrencies, maxItems).run();
    }

    void run() throws Exception {
        ResyncBench.deleteTree(server.work);
        Files.createDirectories(server.work);
        startApps();
        String appUrl = server.prepareDatabases();
        Process process = server.startServer(appUrl);
        try {
            server.waitReady();
            long env = ResyncBench.idOf(server.post("/api/environments", "{\"name\":\"http-bench\"}"), "id");
            for (int concurrency : concurrencies) {
                // at maxConcurrency 1 the 50 ms app allows 20/s: a minute's worth is enough to measure it
                int items = Math.min(maxItems, 1200 * concurrency);
                for (var kind : List.of("destination", "source")) {
                    one(process.pid(), env, kind, concurrency, items);
                }
            }
        } finally {
            server.stop(process);
            server.stopH2();
            apps.stop(0);
        }
    }

    void one(long pid, long env, String kind, int concurrency, int items) throws Exception {
        String name = kind + "-" + concurrency;
        boolean destination = kind.equals("destination");
        server.post("/api/connections", """
                {"name":"CRM-%s","type":"HTTP","baseUrl":"%s/crm","maxConcurrency":%d}""".formatted(name, appsBase, concurrency));
        server.post("/api/connections", """
                {"name":"ERP-%s","type":"HTTP","baseUrl":"%s/erp","maxConcurrency":%d}""".formatted(name, appsBase, concurrency));
        long flow = ResyncBench.idOf(server.post("/api/process-flows", """
                {"name":"http-%s","source":{"connection":"CRM-%s","listPath":"/contacts?n=%d","itemPath":"/contacts/{id}",
                 "idField":"id"%s},
                 "mapping":[{"target":"email","source":"email","required":true,"pattern":"^[^@]+@[^@]+$"},
                            {"target":"name","source":"full_name","required":true}],
                 "destination":{"connection":"ERP-%s","path":"/customers/{id}","method":"PUT"}}"""
                .formatted(name, name, items, destination ? ",\"itemsPath\":\"/contacts?ids={ids}\"" : "", name)), "id");
        long deployment = ResyncBench.idOf(server.post("/api/environments/" + env + "/deployments", """
                {"flowId":%d,"retry":{"mode":"AUTO","frequency":"HOURLY","intervalHours":23,"timeLapseMinutes":0,"batchSize":%d}}"""
                .formatted(flow, batch)), "deploymentId");
        broken = true;
        crmDelay = 0;
        erpDelay = 0;
        long execution = ResyncBench.idOf(server.post("/api/deployments/" + deployment + "/executions", "{}"), "executionId");
        String done = server.waitFor("/api/executions/" + execution, 3600);
        if (ResyncBench.number(done, "failed") != items) {
            throw new IllegalStateException("expected " + items + " failures in the main run: " + done);
        }
        broken = false;
        crmDelay = destination ? 0 : delayMillis;
        erpDelay = destination ? delayMillis : 0;
        peak.set(0);
        long serverCpu = cpuTicks(pid);
        long ownCpu = cpuTicks(ProcessHandle.current().pid());
        long run = ResyncBench.idOf(server.post("/api/deployments/" + deployment + "/retry-runs", "{}"), "runId");
        String snapshot = server.waitFor("/api/retry-runs/" + run + "?limit=1", 7200);
        double serverCpuSeconds = (cpuTicks(pid) - serverCpu) / 100.0;
        double ownCpuSeconds = (cpuTicks(ProcessHandle.current().pid()) - ownCpu) / 100.0;
        int succeeded = ResyncBench.number(snapshot, "succeeded");
        if (succeeded != items) {
            throw new IllegalStateException("resync: " + succeeded + " of " + items + " succeeded: " + snapshot);
        }
        double seconds = Duration.between(Instant.parse(ResyncBench.string(snapshot, "startedAt")),
                Instant.parse(ResyncBench.string(snapshot, "finishedAt"))).toMillis() / 1000.0;
        double rate = items / seconds;
        double limit = concurrency * 1000.0 / delayMillis;
        double cpuPerThousand = 1000 * (serverCpuSeconds + ownCpuSeconds) / items;
        System.out.printf(Locale.ROOT, "RESULT | %s | %d | %,d | %d | %.0f | %.0f | **%.0f %%** | %d | %.2f + %.2f s | %.0f |%n",
                kind, concurrency, items, batch, rate, limit, 100 * rate / limit, peak.get(),
                1000 * serverCpuSeconds / items, 1000 * ownCpuSeconds / items,
                Runtime.getRuntime().availableProcessors() * 1000 / cpuPerThousand);
    }

    /** utime + stime of a process, in clock ticks (1/100 s on Linux). */
    static long cpuTicks(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    void startApps() throws IOException {
        apps = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apps.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        apps.createContext("/crm/contacts", this::crm);
        apps.createContext("/erp/customers/", this::erp);
        apps.start();
        appsBase = "http://127.0.0.1:" + apps.getAddress().getPort();
    }

    String contact(long id) {
        return "{\"id\":" + id + ",\"email\":\"" + (broken ? "broken-" + id : "user" + id + "@example.com")
                + "\",\"full_name\":\"Contact " + id + "\"}";
    }

    void crm(HttpExchange exchange) throws IOException {
        var uri = exchange.getRequestURI();
        var query = uri.getRawQuery();
        if (uri.getPath().equals("/crm/contacts") && query != null && query.startsWith("n=")) {
            int n = Integer.parseInt(query.substring(2));
            var all = new StringBuilder("[");
            for (int i = 1; i <= n; i++) {
                all.append(i > 1 ? "," : "").append(contact(i));
            }
            answer(exchange, 200, all.append("]").toString(), 0);
        } else if (uri.getPath().equals("/crm/contacts") && query != null && query.startsWith("ids=")) {
            List<String> found = new ArrayList<>();
            for (var id : URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8).split(",")) {
                found.add(contact(Long.parseLong(id)));
            }
            answer(exchange, 200, "[" + String.join(",", found) + "]", crmDelay);
        } else {
            answer(exchange, 200, contact(Long.parseLong(uri.getPath().substring("/crm/contacts/".length()))), crmDelay);
        }
    }

    void erp(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        answer(exchange, 200, "{}", erpDelay);
    }

    /** Answers after the delay; counts the request in flight until it is answered. */
    void answer(HttpExchange exchange, int status, String body, long delay) throws IOException {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (delay > 0) {
                Thread.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
