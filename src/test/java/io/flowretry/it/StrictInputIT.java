package io.flowretry.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.flowretry.it.FlowFixtures.id;
import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, theme 3: the API refuses what it does not understand — a value of the wrong JSON type
 * (400 naming the field, nothing changed: {@code "maybe"} no longer deactivates, {@code 1.9} is no
 * longer stored as 1), a {@code retry} without {@code retry.mode}, a body over 1 MiB (413 before it is
 * parsed, with a length or chunked), a base URL that is not an absolute http(s) URI, headers the HTTP
 * client sets itself. Theme 4: a browser replays Basic credentials for any site, so a state-changing
 * API call needs {@code Content-Type: application/json} (415, also without a body) and is refused
 * (403) when {@code Origin} or {@code Sec-Fetch-Site} says another site sent it; responses carry CSP,
 * nosniff and Referrer-Policy; the console's session cookie is SameSite=Lax. One deployment for both.
 */
@Tag("postgres")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StrictInputIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private Api api() {
        return Api.at(url);
    }

    private static void refused(Api.Reply r, int status, String field) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("application/problem+json", r.contentType(), r.toString());
        if (field != null) {
            assertEquals(field, r.problemField(), r.toString());
        }
    }

    @Test
    void a_wrong_json_type_is_400_naming_the_field_and_changes_nothing() {
        var fixtures = new FlowFixtures(api());
        long env = fixtures.environment(unique("strict"));
        for (String active : new String[]{"\"maybe\"", "\"yes\"", "\"false\"", "1", "0"}) {
            refused(api().patch("/api/environments/" + env, "{\"active\":" + active + "}"), 400, "active");
            assertTrue(api().get("/api/environments/" + env).json().getBoolean("active"), active + " changed nothing");
        }
        refused(api().patch("/api/environments/" + env, "{\"description\":42}"), 400, "description");
        refused(api().post("/api/environments", "{\"name\":5}"), 400, "name");
        refused(api().post("/api/environments", "{\"name\":[\"x\"]}"), 400, "name");
        assertEquals(200, api().patch("/api/environments/" + env, "{\"active\":false}").status(), "a real boolean still works");
        assertFalse(api().get("/api/environments/" + env).json().getBoolean("active"));
    }

    @Test
    void a_deploy_body_with_a_wrong_type_or_without_retry_mode_is_400_and_deploys_nothing() {
        var fixtures = new FlowFixtures(api());
        long env = fixtures.environment(unique("strict"));
        long flow = fixtures.flowOfUnreachableApps("strict");
        var path = "/api/environments/" + env + "/deployments";
        var retry = "{\"flowId\":%d,\"retry\":{\"mode\":\"AUTO\",\"frequency\":\"HOURLY\",\"intervalHours\":%s,\"timeLapseMinutes\":20,\"batchSize\":%s}}";
        refused(api().post(path, retry.formatted(flow, "1.5", "100")), 400, "retry.intervalHours");
        refused(api().post(path, retry.formatted(flow, "1.9", "100")), 400, "retry.intervalHours");
        refused(api().post(path, retry.formatted(flow, "\"5\"", "100")), 400, "retry.intervalHours");
        refused(api().post(path, retry.formatted(flow, "1", "\"100\"")), 400, "retry.batchSize");
        refused(api().post(path, "{\"flowId\":" + flow + ",\"retry\":{\"frequency\":\"HOURLY\",\"intervalHours\":1}}"), 400, "retry.mode");
        refused(api().post(path, "{\"flowId\":" + flow + ",\"retry\":{}}"), 400, "retry.mode");
        refused(api().post(path, "{\"flowId\":" + flow + ",\"retry\":\"AUTO\"}"), 400, "retry");
        assertEquals(0, api().get(path).array().size(), "nothing deployed");
        var deployed = api().post(path, retry.formatted(flow, "2", "100"));
        assertEquals(201, deployed.status(), deployed.toString());
        assertEquals(2, deployed.json().getJsonObject("retry").getInt("intervalHours"));
    }

    @Test
    void a_body_over_one_mebibyte_is_413_before_it_is_parsed_with_a_length_or_chunked() throws Exception {
        int before = api().get("/api/environments").array().size();
        var huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        refused(api().post("/api/environments", huge), 413, null);

        var chunked = HttpRequest.newBuilder(URI.create(api().base() + "/api/environments"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build();
        var r = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(before, api().get("/api/environments").array().size(), "nothing stored");
        var justBelow = "{\"name\":\"" + unique("ok") + "\",\"description\":\"" + "d".repeat(900_000) + "\"}";
        assertFalse(api().post("/api/environments", justBelow).status() == 413, "a body under the limit is read");
    }

    @Test
    void an_http_base_url_must_be_an_absolute_http_uri_and_client_headers_are_refused() {
        int before = api().get("/api/connections").array().size();
        for (String baseUrl : new String[]{"http://exa mple.com/api", "http:///api", "ftp://127.0.0.1/x", "127.0.0.1:8080/api",
                "http://127.0.0.1:8080/a b", "javascript:alert(1)", "file:///etc/passwd"}) {
            refused(api().post("/api/connections", "{\"name\":\"%s\",\"type\":\"HTTP\",\"baseUrl\":\"%s\"}".formatted(unique("erp"), baseUrl)),
                    400, "baseUrl");
        }
        for (String header : new String[]{"Host", "Content-Length", "Connection", "transfer-encoding", "Expect", "Upgrade"}) {
            refused(api().post("/api/connections", "{\"name\":\"%s\",\"type\":\"HTTP\",\"baseUrl\":\"http://127.0.0.1:9/erp\",\"headers\":{\"%s\":\"x\"}}"
                    .formatted(unique("erp"), header)), 400, "headers." + header);
        }
        assertEquals(before, api().get("/api/connections").array().size(), "nothing stored");
        var ok = api().post("/api/connections", "{\"name\":\"%s\",\"type\":\"HTTP\",\"baseUrl\":\"https://erp.example.com:8443/api/v1\",\"headers\":{\"X-Key\":\"k\"}}"
                .formatted(unique("erp")));
        assertEquals(201, ok.status(), ok.toString());
        assertTrue(id(ok.json(), "id") > 0);
    }

    // ---- cross-site requests and response headers -------------------------------------------------

    /** A request as a browser would send it: admin's Basic credentials, the given headers, an optional body. */
    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(api().base() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long deployment() {
        var fixtures = new FlowFixtures(api());
        long env = fixtures.environment(unique("xsite"));
        long flow = fixtures.flowOfUnreachableApps("xsite");
        return fixtures.deploy(env, flow, 10, "{\"mode\":\"MANUAL\"}");
    }

    private int runs(long deployment) {
        return api().get("/api/deployments/" + deployment + "/retry-runs").array().size();
    }

    @Test
    void a_state_changing_call_without_json_content_type_is_415_and_starts_nothing() throws Exception {
        long deployment = deployment();
        var path = "/api/deployments/" + deployment + "/retry-runs";
        var plain = send("POST", path, "{}", Map.of("Content-Type", "text/plain"));
        assertEquals(415, plain.statusCode(), plain.body());
        assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(415, send("POST", path, null, Map.of()).statusCode(), "body-less POST without a type");
        assertEquals(415, send("POST", path, "a=b", Map.of("Content-Type", "application/x-www-form-urlencoded")).statusCode());
        assertEquals(415, send("POST", path, "x", Map.of("Content-Type", "multipart/form-data; boundary=x")).statusCode());
        assertEquals(415, send("DELETE", "/api/deployments/" + deployment, null, Map.of()).statusCode());
        assertEquals(415, send("PATCH", "/api/environments/1", "{\"active\":false}", Map.of("Content-Type", "text/plain")).statusCode());
        assertEquals(0, runs(deployment), "no run started");
        var json = send("POST", path, null, Map.of("Content-Type", "application/json; charset=utf-8"));
        assertEquals(202, json.statusCode(), json.body());
        assertEquals(1, runs(deployment));
    }

    @Test
    void a_cross_site_origin_or_fetch_site_is_403() throws Exception {
        long deployment = deployment();
        var path = "/api/deployments/" + deployment + "/retry-runs";
        var json = Map.of("Content-Type", "application/json");
        for (var headers : java.util.List.of(
                Map.of("Content-Type", "application/json", "Origin", "http://evil.example"),
                Map.of("Content-Type", "application/json", "Origin", "null"),
                Map.of("Content-Type", "application/json", "Origin", "http://127.0.0.1:1"),
                Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"),
                Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "same-site"))) {
            var r = send("POST", path, null, headers);
            assertEquals(403, r.statusCode(), headers + " -> " + r.body());
        }
        assertEquals(0, runs(deployment), "no run started");
        var sameOrigin = new java.util.HashMap<>(json);
        sameOrigin.put("Origin", api().base());
        sameOrigin.put("Sec-Fetch-Site", "same-origin");
        assertEquals(202, send("POST", path, null, sameOrigin).statusCode(), "the console's own origin may");
        assertEquals(200, send("GET", "/api/deployments/" + deployment, null, Map.of("Origin", "http://evil.example")).statusCode(),
                "reading is not refused (the browser keeps the answer from the other site)");
    }

    @Test
    void responses_carry_csp_nosniff_and_referrer_policy_and_the_session_cookie_is_same_site_lax() throws Exception {
        var api = send("GET", "/api/environments", null, Map.of());
        assertEquals(200, api.statusCode());
        assertEquals("nosniff", api.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("same-origin", api.headers().firstValue("Referrer-Policy").orElse(null));
        assertTrue(api.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

        var login = HTTP.send(HttpRequest.newBuilder(URI.create(api().base() + "/login.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode());
        var csp = String.join(", ", login.headers().allValues("Content-Security-Policy"));
        assertTrue(csp.contains("script-src") && csp.contains("nonce-"), "PrimeFaces' CSP with a nonce: " + csp);
        assertFalse(csp.contains("default-src 'none'"), "the API's policy is not on pages: " + csp);
        assertEquals("nosniff", login.headers().firstValue("X-Content-Type-Options").orElse(null));
        var cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID")).findFirst().orElse("");
        assertTrue(cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: no Secure flag (it is set over HTTPS)");
        assertFalse(login.body().contains("onclick=\""), "no inline handlers left on the page");
    }
}
