package io.flowretry.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Creates environments, connections, flows and deployments over the REST API, runs executions and reads buckets. */
final class FlowFixtures {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private final Api api;

    FlowFixtures(Api api) {
        this.api = api;
    }

    static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQ.incrementAndGet();
    }

    static long id(JsonObject o, String field) {
        var v = o.get(field);
        return v instanceof JsonNumber n ? n.longValue() : Long.parseLong(o.getString(field));
    }

    long environment(String name) {
        var r = api.post("/api/environments", "{\"name\":\"" + name + "\"}");
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    String jdbcConnection(String prefix, String url, String user, String password) {
        var name = unique(prefix);
        var r = api.post("/api/connections", """
                {"name":"%s","type":"JDBC","jdbcUrl":"%s","username":"%s","password":"%s"}""".formatted(name, url, user, password));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    String httpConnection(String prefix, String baseUrl, String headersJson) {
        var name = unique(prefix);
        var r = api.post("/api/connections", """
                {"name":"%s","type":"HTTP","baseUrl":"%s","headers":%s}""".formatted(name, baseUrl, headersJson));
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    /** The contract's example mapping; {@code source} and {@code destination} are the JSON of the nodes. */
    long flow(String name, String source, String destination) {
        var r = api.post("/api/process-flows", """
                {"name":"%s","description":"CRM contacts into ERP customers",
                 "source":%s,
                 "mapping":[{"target":"email","source":"email","required":true,"pattern":"^[^@]+@[^@]+$"},
                            {"target":"name","source":"full_name","required":true},
                            {"target":"country","value":"DE"}],
                 "destination":%s}""".formatted(name, source, destination));
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "id");
    }

    /** A flow between two JDBC apps nobody serves (port 9): for tests of what is refused before anything runs. */
    long flowOfUnreachableApps(String prefix) {
        var crm = jdbcConnection("CRM", "jdbc:h2:tcp://127.0.0.1:9/mem:crm", "sa", "");
        var erp = jdbcConnection("ERP", "jdbc:h2:tcp://127.0.0.1:9/mem:erp", "sa", "");
        return flow(unique(prefix), "{\"connection\":\"" + crm + "\",\"table\":\"contacts\",\"idColumn\":\"id\"}",
                "{\"connection\":\"" + erp + "\",\"table\":\"customers\",\"keyColumn\":\"source_id\"}");
    }

    long deploy(long environmentId, long flowId, int batchSize, String sync) {
        var r = api.post("/api/environments/" + environmentId + "/deployments", """
                {"flowId":%d,"sync":%s,
                 "retry":{"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":20,"batchSize":%d}}"""
                .formatted(flowId, sync, batchSize));
        assertEquals(201, r.status(), r.toString());
        return id(r.json(), "deploymentId");
    }

    /** Starts an execution and waits until it has ended; returns it. */
    JsonObject execute(long deploymentId) {
        var started = api.post("/api/deployments/" + deploymentId + "/executions", null);
        assertEquals(202, started.status(), started.toString());
        assertEquals("STARTED", started.json().getString("status"), started.toString());
        return awaitEnd(id(started.json(), "executionId"));
    }

    JsonObject awaitEnd(long executionId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            var r = api.get("/api/executions/" + executionId);
            assertEquals(200, r.status(), r.toString());
            if (!"STARTED".equals(r.json().getString("status"))) {
                assertNotEquals("FAILED", r.json().getString("status"), r.toString());
                return r.json();
            }
            sleep(250);
        }
        return fail("execution " + executionId + " did not end within 120 s");
    }

    JsonObject bucket(long deploymentId, String query) {
        var r = api.get("/api/deployments/" + deploymentId + "/bucket" + (query.isEmpty() ? "" : "?" + query));
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    /** Every item of a filter, page by page with the cursor. */
    List<JsonObject> allItems(long deploymentId, String filter, int limit) {
        List<JsonObject> items = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            var query = filter + (filter.isEmpty() ? "" : "&") + "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            var page = bucket(deploymentId, query);
            page.getJsonArray("items").forEach(v -> items.add(v.asJsonObject()));
            var next = page.get("nextCursor");
            if (next == null || next.getValueType() == JsonValue.ValueType.NULL) {
                return items;
            }
            cursor = page.getString("nextCursor");
        }
        return fail("paging did not end");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
