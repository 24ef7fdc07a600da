package io.flowretry.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.flowretry.it.FlowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, theme 5: failed sign-ins are throttled per user and per client address (5 within a minute:
 * 429 with {@code Retry-After} on the API, a message on the login page; a success resets), and console
 * errors end on pages that name no exception (404 for {@code ?deployment=abc}, "your page expired" for
 * an unknown view state). The tests run in order: the lock-out locks this client's address (127.0.0.1)
 * for everyone for 30 s, so it comes last.
 */
@Tag("postgres")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInThrottleIT {

    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
    /** PrimeFaces' CSP mode: the page's nonce, which its script sends back with every postback. */
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
    private static final Pattern FORM_ACTION = Pattern.compile("<form id=\"login\"[^>]*action=\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    private Api api() {
        return Api.at(url);
    }

    private String user(String role) {
        var name = unique(role).toLowerCase();
        var r = api().post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"right-password\",\"roles\":[\"" + role + "\"]}");
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    /** A browser-like client: cookies kept, no redirects followed. */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(api().base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(HttpClient client, String path, Map<String, String> fields) throws Exception {
        var body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(api().base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the console's form; the answer to the form post. */
    private HttpResponse<String> formLogin(HttpClient client, String user, String password) throws Exception {
        var page = get(client, "/login.xhtml");
        assertEquals(200, page.statusCode());
        var viewState = VIEW_STATE.matcher(page.body());
        var action = FORM_ACTION.matcher(page.body());
        var nonce = NONCE.matcher(page.body());
        assertTrue(viewState.find() && action.find() && nonce.find(), page.body());
        var fields = new LinkedHashMap<String, String>();
        fields.put("login", "login");
        fields.put("login:username", user);
        fields.put("login:password", password);
        fields.put("login:signin", "");
        fields.put("jakarta.faces.ViewState", viewState.group(1).replace("&#58;", ":"));
        fields.put("primefaces.nonce", nonce.group(1));
        var path = action.group(1).replace("&amp;", "&");
        return postForm(client, path.startsWith("http") ? URI.create(path).getRawPath() : path, fields);
    }

    /**
     * A viewer's browser sends the postbacks of actions it is not shown — the operator's "Execute now" as
     * PrimeFaces sends it (Ajax) and as a plain form post — and gets the page it was on, with nothing
     * started and no exception text: a component not rendered for a role never decodes, so its action
     * never runs. The same Ajax call from an operator's page does start the execution (the forged call
     * is the real one). The 403 page behind the actions' own role checks is proved by ErrorPagesTest:
     * no console request of a viewer reaches those checks.
     */
    @Test
    @Order(0)
    void a_viewers_postback_of_an_operators_action_starts_nothing_and_shows_no_exception() {
        var f = new FlowFixtures(api());
        long environment = f.environment(unique("postback-env"));
        long deployment = f.deploy(environment, f.flowOfUnreachableApps("postback flow"), 10, "{\"mode\":\"MANUAL\"}");
        String execute = "env:tabs:flows:0:execute";
        String page = "/environments/view.xhtml?id=" + environment;
        try (var b = new Browser(api().base()).login(user("viewer"), "right-password")) {
            b.open(page);
            b.visible(org.openqa.selenium.By.id("env:tabs:flows:0:actions_button"));
            assertTrue(b.driver().findElements(org.openqa.selenium.By.id(execute)).isEmpty(), "a viewer is not shown Execute now");

            b.driver().executeScript("PrimeFaces.ab({s: arguments[0], f: 'env', u: 'env'});", execute);
            b.ajaxDone();
            assertEquals(0, executions(deployment), "the forged Ajax postback started nothing");

            b.driver().executeScript("""
                    var form = document.getElementById('env');
                    for (var name of ['jakarta.faces.source', arguments[0]]) {
                      var input = document.createElement('input');
                      input.type = 'hidden'; input.name = name; input.value = arguments[0];
                      form.appendChild(input);
                    }
                    form.submit();""", execute);
            b.until(d -> ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState").equals("complete")
                    && d.findElements(org.openqa.selenium.By.id("env:tabs:flows:0:actions_button")).size() == 1);
            var shown = b.driver().findElement(org.openqa.selenium.By.tagName("body")).getText();
            assertFalse(shown.contains("Exception") || shown.contains("needs one of the roles"), shown);
            assertTrue(b.driver().getTitle().startsWith("postback-env"), "still the environment's page: " + b.driver().getTitle());
            assertEquals(0, executions(deployment), "the forged form post started nothing");
        }
        try (var b = new Browser(api().base()).login(user("operator"), "right-password")) {
            b.open(page);
            b.visible(org.openqa.selenium.By.id("env:tabs:flows:0:actions_button"));
            b.driver().executeScript("PrimeFaces.ab({s: arguments[0], f: 'env', u: 'env'});", execute);
            b.ajaxDone();
            b.until(d -> executions(deployment) == 1 ? true : null);
        }
    }

    private int executions(long deployment) {
        var r = api().get("/api/deployments/" + deployment + "/executions");
        assertEquals(200, r.status(), r.toString());
        return r.array().size();
    }

    @Test
    @Order(1)
    void console_errors_end_on_pages_without_exception_text() throws Exception {
        var client = browser();
        var signedIn = formLogin(client, "admin", Api.ADMIN_PASSWORD);
        assertEquals(302, signedIn.statusCode(), signedIn.body());

        var bad = get(client, "/bucket/view.xhtml?deployment=abc");
        assertEquals(404, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("Not found"), bad.body());
        assertFalse(bad.body().contains("Exception") || bad.body().contains("abc"), bad.body());

        var expired = postForm(client, "/environments/list.xhtml", Map.of("jakarta.faces.ViewState", "-1234567890:987654321"));
        assertEquals(410, expired.statusCode(), expired.body());
        assertTrue(expired.body().contains("Your page expired") && expired.body().contains("Reload"), expired.body());
        assertFalse(expired.body().contains("Exception"), expired.body());
    }

    @Test
    @Order(2)
    void a_success_resets_the_count() {
        var name = user("viewer");
        for (int i = 0; i < 4; i++) {
            assertEquals(401, api().as(name, "wrong-" + i).get("/api/users/me").status());
        }
        assertEquals(200, api().as(name, "right-password").get("/api/users/me").status());
        for (int i = 0; i < 4; i++) {
            assertEquals(401, api().as(name, "wrong-" + i).get("/api/users/me").status(), "counting starts again");
        }
        assertEquals(200, api().as(name, "right-password").get("/api/users/me").status(), "not locked");
    }

    @Test
    @Order(3)
    void five_failures_lock_the_user_and_the_address_with_429_and_retry_after_and_the_console_says_so() throws Exception {
        var name = user("operator");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, api().as(name, "wrong-" + i).get("/api/users/me").status());
        }
        var locked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api().base() + "/api/users/me"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((name + ":right-password").getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, locked.statusCode(), "even the right password waits: " + locked.body());
        int retryAfter = Integer.parseInt(locked.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter > 0 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertTrue(locked.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(429, api().get("/api/users/me").status(), "this address is locked for everyone, admin too");

        var form = formLogin(browser(), name, "right-password");
        assertEquals(200, form.statusCode(), "the form stays on the login page");
        assertTrue(form.body().contains("Too many failed sign-ins"), form.body());
    }
}
