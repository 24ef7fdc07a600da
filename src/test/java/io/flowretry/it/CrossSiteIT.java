package io.flowretry.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, theme 4: a browser replays Basic credentials for any site, so a state-changing API call
 * needs {@code Content-Type: application/json} (415, also without a body) and is refused (403) when
 * {@code Origin} or {@code Sec-Fetch-Site} says another site sent it; responses carry CSP, nosniff and
 * Referrer-Policy; the console's session cookie is SameSite=Lax.
 */
@Tag("postgres")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CrossSiteIT {

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
