package io.flowretry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP → HTTP flows against a real HTTP server on 127.0.0.1 started by the test: a CRM listing
 * contacts in two pages, an ERP that accepts customers with PUT, rejects some with 422 and is
 * busy (503) for others. 422 and a failed mapping rule are DATA, 503 and a refused connection TRANSIENT.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FlowsHttpIT {

    private static HttpServer server;
    private static String base;
    /** What the ERP stored, by id: the JSON body of the last PUT. */
    private static final Map<String, JsonObject> customers = new ConcurrentHashMap<>();
    private static final Set<String> busy = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger puts = new AtomicInteger();
    private static final AtomicInteger putsWithoutTenant = new AtomicInteger();
    private static final List<String> CONTACTS = List.of(
            "{\"id\":1,\"email\":\"ann@example.com\",\"full_name\":\"Ann\"}",
            "{\"id\":2,\"email\":\"reject@example.com\",\"full_name\":\"Bob\"}",
            "{\"id\":3,\"email\":\"cy@example.com\",\"full_name\":\"Cy\"}",
            "{\"id\":4,\"email\":\"x-at-y\",\"full_name\":\"Dee\"}",
            "{\"id\":5,\"email\":\"eve@example.com\",\"full_name\":\"Eve\"}",
            "{\"id\":6,\"email\":\"fay@example.com\",\"full_name\":\"Fay\"}",
            "{\"id\":\"c 7\",\"email\":\"gus@example.com\",\"full_name\":\"Gus\"}");

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void apps() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/crm/contacts", FlowsHttpIT::crm);
        server.createContext("/erp/customers/", FlowsHttpIT::erp);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** GET /crm/contacts (two pages: items + next) and GET /crm/contacts/{id} (404 when unknown). */
    private static void crm(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/crm/contacts")) {
            boolean second = "page=2".equals(exchange.getRequestURI().getQuery());
            var page = second ? CONTACTS.subList(4, CONTACTS.size()) : CONTACTS.subList(0, 4);
            answer(exchange, 200, "{\"items\":[" + String.join(",", page) + "]" + (second ? "" : ",\"next\":\"/contacts?page=2\"") + "}");
            return;
        }
        String id = path.substring("/crm/contacts/".length());
        var found = CONTACTS.stream().filter(c -> c.startsWith("{\"id\":" + id + ",") || c.startsWith("{\"id\":\"" + id + "\"")).findFirst();
        if (found.isPresent()) {
            answer(exchange, 200, found.get());
        } else {
            answer(exchange, 404, "{\"error\":\"no contact " + id + "\"}");
        }
    }

    /** PUT /erp/customers/{id}: 422 for rejected e-mails, 503 while the id is busy, else stored. */
    private static void erp(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/erp/customers/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"PUT".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "");
            return;
        }
        puts.incrementAndGet();
        if (!"t1".equals(exchange.getRequestHeaders().getFirst("X-Tenant"))) {
            putsWithoutTenant.incrementAndGet();
        }
        JsonObject customer;
        try (var reader = Json.createReader(new StringReader(body))) {
            customer = reader.readObject();
        }
        if (customer.getString("email").startsWith("reject")) {
            answer(exchange, 422, "{\"error\":\"email rejected by ERP\"}");
        } else if (busy.contains(id)) {
            answer(exchange, 503, "ERP busy, try later");
        } else {
            customers.put(id, customer);
            answer(exchange, 200, body);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Api api() {
        return Api.at(url);
    }

    private record Deployed(long deploymentId, String nodeName, String erp) {
    }

    private Deployed deploy(String erpBaseUrl) {
        var f = new FlowFixtures(api());
        var crm = f.httpConnection("CRM", base + "/crm", "{}");
        var erp = f.httpConnection("ERP", erpBaseUrl, "{\"X-Tenant\":\"t1\"}");
        long flow = f.flow(unique("Contacts over HTTP"), """
                {"connection":"%s","listPath":"/contacts","itemPath":"/contacts/{id}","idField":"id"}""".formatted(crm), """
                {"connection":"%s","path":"/customers/{id}","method":"PUT"}""".formatted(erp));
        long environment = f.environment(unique("env"));
        return new Deployed(f.deploy(environment, flow, 2, "{\"mode\":\"MANUAL\"}"), crm, erp);
    }

    @Test
    void rejected_records_are_data_busy_ones_transient_and_a_second_run_duplicates_nothing() {
        busy.add("3");
        var d = deploy(base + "/erp");
        var f = new FlowFixtures(api());

        var execution = f.execute(d.deploymentId());
        assertEquals(7, execution.getInt("read"), execution.toString());
        assertEquals(4, execution.getInt("succeeded"));
        assertEquals(3, execution.getInt("failed"));
        assertEquals(Set.of("1", "5", "6", "c 7"), customers.keySet(), "the id is URL-encoded into the path");
        assertEquals("ann@example.com", customers.get("1").getString("email"));
        assertEquals("Ann", customers.get("1").getString("name"));
        assertEquals("DE", customers.get("1").getString("country"));
        assertEquals(0, putsWithoutTenant.get(), "the connection's headers go with every request");

        var bucket = f.bucket(d.deploymentId(), "");
        assertEquals(3, bucket.getInt("total"));
        var items = bucket.getJsonArray("items");
        var two = items.getJsonObject(0);
        assertEquals("2", two.getString("sourceId"));
        assertEquals(d.nodeName(), two.getString("nodeName"));
        assertEquals("DATA", two.getString("errorClass"));
        assertEquals("HTTP 422: {\"error\":\"email rejected by ERP\"} (" + d.erp() + " PUT /customers/2)", two.getString("lastError"));
        var three = items.getJsonObject(1);
        assertEquals("3", three.getString("sourceId"));
        assertEquals("TRANSIENT", three.getString("errorClass"));
        assertEquals("HTTP 503: ERP busy, try later (" + d.erp() + " PUT /customers/3)", three.getString("lastError"));
        var four = items.getJsonObject(2);
        assertEquals("4", four.getString("sourceId"));
        assertEquals("DATA", four.getString("errorClass"));
        assertEquals("email: \"x-at-y\" does not match pattern ^[^@]+@[^@]+$", four.getString("lastError"));
        for (var v : items) {
            assertEquals("FAILED", v.asJsonObject().getString("status"));
            assertEquals(0, v.asJsonObject().getInt("tries"));
        }

        int putsBefore = puts.get();
        var second = f.execute(d.deploymentId());
        assertEquals(4, second.getInt("succeeded"));
        assertEquals(Set.of("1", "5", "6", "c 7"), customers.keySet());
        assertEquals(putsBefore + 6, puts.get(), "every mapped record is written again (an upsert), the bad mapping never");
        assertEquals(3, f.bucket(d.deploymentId(), "").getInt("total"));

        busy.remove("3");
        var third = f.execute(d.deploymentId());
        assertEquals(5, third.getInt("succeeded"));
        var item3 = api().get("/api/bucket-items/" + id(three, "id")).json();
        assertEquals("SUCCESS", item3.getString("status"));
        assertEquals(List.of("FAILED", "FAILED", "SUCCESS"),
                item3.getJsonArray("attempts").stream().map(v -> v.asJsonObject().getString("outcome")).toList());
        assertEquals(List.of("MAIN", "MAIN", "MAIN"),
                item3.getJsonArray("attempts").stream().map(v -> v.asJsonObject().getString("trigger")).toList());
        assertEquals("TRANSIENT", item3.getJsonArray("attempts").getJsonObject(0).getString("errorClass"));
        assertEquals(2, f.bucket(d.deploymentId(), "status=FAILED").getInt("total"));
    }

    @Test
    void an_unreachable_destination_is_transient_and_says_so() {
        var d = deploy("http://127.0.0.1:1/erp");
        var f = new FlowFixtures(api());
        var execution = f.execute(d.deploymentId());
        assertEquals(7, execution.getInt("read"));
        var items = f.allItems(d.deploymentId(), "", 500);
        assertEquals(7, items.size());
        var byClass = items.stream().collect(java.util.stream.Collectors.groupingBy(i -> i.getString("errorClass"),
                java.util.stream.Collectors.counting()));
        assertEquals(Map.of("TRANSIENT", 6L, "DATA", 1L), byClass, "six writes refused, one mapping failure");
        var first = items.get(0);
        assertEquals("1", first.getString("sourceId"));
        assertTrue(first.getString("lastError").startsWith(d.erp() + " PUT /customers/1: connection refused"), first.getString("lastError"));
    }
}
