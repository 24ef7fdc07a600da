package io.flowretry.it;

import org.h2.tools.Server;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URL;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operators' console in a real browser (Debian's headless Chromium) against the deployed WAR.
 * Data is set up over the REST API; the flows read and write tables of an H2 TCP server this test
 * starts on 127.0.0.1. Each test works in its own environment, flow and tables.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    static final String OPERATOR = "olivia";
    static final String VIEWER = "victor";
    static final String PASSWORD = "secret-pass-1";
    static final String HTML_ID = "<b>x</b><script>alert(1)</script>";

    static Server h2;
    static String h2Url;
    static boolean usersCreated;

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void sourceAndDestination() throws SQLException {
        System.setProperty("h2.bindAddress", "127.0.0.1");
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        h2Url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:console_apps;DB_CLOSE_DELAY=-1";
    }

    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.stop();
        }
    }

    Api api() {
        return Api.at(url);
    }

    Browser browser(String user, String password) {
        return new Browser(api().base()).login(user, password);
    }

    /** An operator and a viewer (the IT database file survives between runs). */
    void users() {
        if (usersCreated) {
            return;
        }
        for (var user : List.of(OPERATOR + ":operator", VIEWER + ":viewer")) {
            var parts = user.split(":");
            var r = api().post("/api/users", """
                    {"username":"%s","password":"%s","roles":["%s"]}""".formatted(parts[0], PASSWORD, parts[1]));
            assertTrue(r.status() == 201 || r.status() == 409, r.toString()); // 409: kept from an earlier run
        }
        usersCreated = true;
    }

    /** A deployable flow: environment (Europe/Berlin), source and destination tables with the given contacts. */
    record Setup(long environmentId, String environment, long flowId, String flow, String node, String table) {
    }

    Setup setup(String name, String... contacts) throws SQLException {
        var table = name.replaceAll("[^a-z]", "_");
        sql("create table " + table + "_src (id varchar(200) primary key, email varchar(200), full_name varchar(200))",
                "create table " + table + "_dst (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(2))");
        for (var contact : contacts) {
            sql("insert into " + table + "_src values (" + contact + ")");
        }
        var environment = FlowFixtures.unique(name + " env");
        var created = api().post("/api/environments", """
                {"name":"%s","timeZone":"Europe/Berlin","description":"console test"}""".formatted(environment));
        assertEquals(201, created.status(), created.toString());
        var fixtures = new FlowFixtures(api());
        var node = fixtures.jdbcConnection("CRM", h2Url, "sa", "");
        var erp = fixtures.jdbcConnection("ERP", h2Url, "sa", "");
        var flow = FlowFixtures.unique(name + " flow");
        long flowId = fixtures.flow(flow, """
                {"connection":"%s","table":"%s_src","idColumn":"id"}""".formatted(node, table), """
                {"connection":"%s","table":"%s_dst","keyColumn":"source_id"}""".formatted(erp, table));
        return new Setup(FlowFixtures.id(created.json(), "id"), environment, flowId, flow, node, table);
    }

    /** Deploys over the API with automatic retry, executes and waits for the end; returns the deployment id. */
    long deployAndExecute(Setup s) {
        long deploymentId = new FlowFixtures(api()).deploy(s.environmentId(), s.flowId(), 100, "{\"mode\":\"MANUAL\"}");
        new FlowFixtures(api()).execute(deploymentId);
        return deploymentId;
    }

    static void sql(String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(h2Url, "sa", ""); var st = c.createStatement()) {
            for (var s : statements) {
                st.execute(s);
            }
        }
    }

    static By row(String sourceId) {
        return By.xpath("//tbody[@id='bucket:items_data']/tr[@data-rk][.//span[contains(@class,'source-id') and text()=" + xpathLiteral(sourceId) + "]]");
    }

    static String xpathLiteral(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    static List<String> shownSourceIds(Browser b) {
        return b.driver().findElements(By.cssSelector("tbody[id='bucket:items_data'] .source-id")).stream().map(WebElement::getText).toList();
    }

    static void check(Browser b, String sourceId) {
        b.find(row(sourceId)).findElement(By.cssSelector(".ui-chkbox-box")).click();
        b.ajaxDone();
    }

    static void filter(Browser b, String prefix, String status) {
        b.type(By.id("bucket:sourceId"), prefix);
        b.choose("bucket:status", status); // the status menu applies the filter with the typed prefix
    }

    /** Clicks an element a poll re-renders every second or two: found again when the poll replaced it in between. */
    static void clickPolled(Browser b, By by) {
        for (int attempt = 0; ; attempt++) {
            try {
                b.visible(by).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.ElementClickInterceptedException moving) {
                // re-rendered by a poll, or still under a dialog's mask while it fades in or out
                if (attempt == 10) {
                    throw moving;
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> T eventually(Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var value = probe.get();
            if (value != null || System.nanoTime() > deadline) {
                return value;
            }
            FlowFixtures.sleep(500);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void pages_need_login_and_bad_credentials_get_a_message() {
        try (var browser = new Browser(api().base())) {
            browser.open("/environments/list.xhtml");
            browser.until(ExpectedConditions.urlContains("/login.xhtml"));
            browser.login("admin", "wrong-password");
            assertTrue(browser.text(By.id("login:messages")).contains("Unknown user or wrong password"));
            var before = browser.driver().manage().getCookieNamed("JSESSIONID").getValue();
            browser.login("admin", Api.ADMIN_PASSWORD);
            browser.until(ExpectedConditions.urlContains("/environments/list.xhtml"));
            assertEquals("admin", browser.text(By.id("session:caller")).trim());
            assertFalse(before.equals(browser.driver().manage().getCookieNamed("JSESSIONID").getValue()),
                    "a new session id after signing in");
            browser.find(By.id("session:logout")).click();
            browser.until(ExpectedConditions.urlContains("/login.xhtml"));
            browser.open("/environments/list.xhtml");
            browser.until(ExpectedConditions.urlContains("/login.xhtml"));
        }
    }

    /** The customer's steps, end to end. */
    @Test
    void deploy_with_auto_retry_execute_and_resync_two_records_from_the_bucket_window() throws SQLException {
        var s = setup("walk", "'c001','a@x.de','Anna'", "'c002','bad-email','Bert'", "'c003','c@x.de',null",
                "'d001','d@x.de','Dora'", "'d002','nope','Emil'");
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            // Flows › Deploy → the wizard, Sync & Retry: auto, every day at 02:30, every 6 hours
            b.open("/flows/list.xhtml");
            b.choose("flows:environment", s.environment());
            b.find(By.xpath("//tr[.//span[text()=" + xpathLiteral(s.flow()) + "]]//button[contains(@id,':deploy')]")).click();
            b.until(ExpectedConditions.urlContains("/deployments/deploy.xhtml"));
            assertTrue(b.text(By.id("wizardTitle")).startsWith("Deploy"), "a first deployment");
            assertEquals("Manual", b.text(By.cssSelector("[id='deploy:retryMode'] .ui-state-active")), "manual at first deployment");
            b.press("deploy:retryMode", "Auto");
            b.choose("deploy:frequency", "Every Day");
            b.type(By.id("deploy:dailyAt_input"), "02:30");
            b.type(By.id("deploy:interval"), "6");
            b.type(By.id("deploy:timeLapse"), "0");
            b.type(By.id("deploy:batchSize"), "50");
            b.screenshot("deploy-wizard");
            b.find(By.id("deploy:submit")).click();
            var nextRun = b.visible(By.id("deploy:nextRun")).getText();
            assertTrue(nextRun.matches("\\d{4}-\\d\\d-\\d\\d (02|08|14|20):30:00 CET"), nextRun);

            // Manage › Environments › the environment › Process Flows › … › Execute now
            b.find(By.id("nav-environments")).click();
            b.find(By.xpath("//a[text()=" + xpathLiteral(s.environment()) + "]")).click();
            b.until(ExpectedConditions.urlContains("/environments/view.xhtml"));
            assertEquals(s.flow(), b.text(By.id("env:tabs:flows:0:name")));
            assertEquals(nextRun, b.text(By.id("env:tabs:flows:0:nextRun")));
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:execute")).click();
            b.ajaxDone();
            var last = eventually(() -> {
                b.find(By.id("env:tabs:refresh")).click();
                b.ajaxDone();
                var text = b.text(By.id("env:tabs:flows:0:lastExecution"));
                return text.startsWith("COMPLETED") ? text : null;
            });
            assertEquals("COMPLETED (read 5, failed 3)", last);
            assertEquals("3", b.text(By.id("env:tabs:flows:0:failed")));

            // … › Retry → the Resync Bucket window
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:retry")).click();
            b.until(ExpectedConditions.urlContains("/bucket/view.xhtml"));
            assertEquals(s.flow(), b.text(By.id("flowName")));
            assertEquals(s.environment(), b.text(By.id("environment")));
            assertEquals("CRM contacts into ERP customers", b.text(By.id("flowDescription")));
            assertEquals(List.of("c002", "c003", "d002"), shownSourceIds(b));
            assertTrue(b.find(row("c002")).getText().contains(s.node()), "Node Name is the source connection");

            // the source is fixed for c002; filter by source id, select both, RESYNC
            sql("update " + s.table() + "_src set email = 'b@x.de' where id = 'c002'");
            b.type(By.id("bucket:sourceId"), "c00");
            b.find(By.id("bucket:applyFilter")).click();
            b.until(d -> shownSourceIds(b).equals(List.of("c002", "c003")) ? true : null);
            check(b, "c002");
            check(b, "c003");
            assertEquals("2 selected", b.text(By.id("bucket:selectedCount")));
            b.screenshot("resync-bucket");
            b.find(By.id("bucket:resync")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "COMPLETED"));
            assertTrue(b.text(By.id("bucket:runStatus")).contains("picked 2 of 2, 1 succeeded, 1 failed"), b.text(By.id("bucket:runStatus")));

            // the rows read again: c002 stays, marked SUCCESS, until the next refresh; both were tried once more
            b.until(d -> "SUCCESS".equals(b.find(row("c002")).findElement(By.cssSelector("[id$=':status']")).getText()) ? true : null);
            assertEquals(List.of("c002", "c003"), shownSourceIds(b));
            assertTrue(b.find(By.id("bucket:progressBar")).getDomAttribute("class").contains("run-partial"), "one of two failed: amber");
            assertEquals("1", b.find(row("c002")).findElement(By.cssSelector("[id$=':tries']")).getText());
            assertEquals("FAILED", b.find(row("c003")).findElement(By.cssSelector("[id$=':status']")).getText());
            assertEquals("1", b.find(row("c003")).findElement(By.cssSelector("[id$=':tries']")).getText());
            b.find(By.id("bucket:refresh")).click();
            b.until(d -> shownSourceIds(b).equals(List.of("c003")) ? true : null);
            b.choose("bucket:status", "All");
            b.until(d -> shownSourceIds(b).equals(List.of("c002", "c003")) ? true : null);
            assertEquals("SUCCESS", b.find(row("c002")).findElement(By.cssSelector("[id$=':status']")).getText());

            // the columns of a failed row: queue state, when the automatic retry picks it, auto tries, the error on one line
            var c003 = b.find(row("c003"));
            assertEquals("QUEUED", c003.findElement(By.cssSelector("[id$=':queueState']")).getText());
            assertEquals("auto 0 of 4", c003.findElement(By.cssSelector("[id$=':autoTries']")).getText());
            assertTrue(c003.findElement(By.cssSelector("[id$=':dueAt']")).getText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d CET"),
                    c003.getText());
            assertTrue(c003.findElement(By.cssSelector("[id$=':error']")).getText().startsWith("DATA: "), "the error inline");

            // the attempts timeline of c003: the main run, then the manual resync, whose run number opens its snapshot
            b.find(row("c003")).findElement(By.cssSelector(".ui-row-toggler")).click();
            var timeline = b.visible(By.cssSelector(".ui-chronoline")).getText();
            assertTrue(timeline.contains("MAIN") && timeline.contains("MANUAL"), timeline);
            var runLink = b.find(By.cssSelector(".ui-chronoline a[id$='attemptRun']"));
            var runNumber = runLink.getText();
            runLink.click();
            b.until(ExpectedConditions.urlContains("/snapshots/view.xhtml?run=" + runNumber));
            assertTrue(b.text(By.id("run:status")).startsWith("COMPLETED"));
            b.driver().navigate().back();
            b.until(ExpectedConditions.urlContains("/bucket/view.xhtml"));

            // Snapshots: the manual run, the settings it used, each item's outcome and input
            b.find(By.id("snapshots")).click();
            b.until(ExpectedConditions.urlContains("/snapshots/list.xhtml"));
            assertEquals("COMPLETED", b.text(By.id("runs:0:status")));
            assertTrue(b.find(By.id("runs:0:status")).getDomAttribute("class").contains("run-partial"), "1 of 2 failed: amber");
            b.find(By.id("runs:0:open")).click();
            b.until(ExpectedConditions.urlContains("/snapshots/view.xhtml"));
            assertEquals("1", b.text(By.id("run:flowVersion")));
            assertTrue(b.text(By.id("config")).contains("\"dailyAt\": \"02:30\""), b.text(By.id("config")));
            var outcomes = b.driver().findElements(By.cssSelector("tbody[id='items:table_data'] tr")).stream()
                    .map(tr -> tr.findElement(By.cssSelector("[id$=':sourceId']")).getText() + " "
                            + tr.findElement(By.cssSelector("[id$=':outcome']")).getText()).sorted().toList();
            assertEquals(List.of("c002 SUCCESS", "c003 FAILED"), outcomes);
            assertTrue(b.text(By.id("items:table")).contains("\"email\": \"b@x.de\""), "the input read for c002");

            // … › Redeploy: the wizard starts from the deployment's settings
            b.open("/environments/view.xhtml?id=" + s.environmentId());
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:redeploy")).click();
            b.until(ExpectedConditions.urlContains("/deployments/deploy.xhtml"));
            assertTrue(b.text(By.id("wizardTitle")).startsWith("Redeploy"));
            assertEquals("Auto", b.text(By.cssSelector("[id='deploy:retryMode'] .ui-state-active")));
            assertEquals("Every Day", b.text(By.id("deploy:frequency_label")));
            assertEquals("02:30", b.find(By.id("deploy:dailyAt_input")).getDomProperty("value"));
            assertEquals("6", b.find(By.id("deploy:interval")).getDomProperty("value"));
        }
    }

    @Test
    void the_wizard_shows_invalid_values_beside_their_fields_and_saves_nothing() throws SQLException {
        var s = setup("wizard", "'w001','a@x.de','Anna'");
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/deployments/deploy.xhtml?environment=" + s.environmentId() + "&flow=" + s.flowId());
            b.press("deploy:retryMode", "Auto");
            b.choose("deploy:frequency", "Every Day");
            b.type(By.id("deploy:dailyAt_input"), "");
            b.type(By.id("deploy:interval"), "30");
            b.type(By.id("deploy:timeLapse"), "-5");
            b.type(By.id("deploy:batchSize"), "0");
            b.find(By.id("deploy:submit")).click();
            b.ajaxDone();
            assertEquals("must be between 1 and 23", messageFor(b, "deploy:interval"));
            assertEquals("must be at least 0", messageFor(b, "deploy:timeLapse"));
            assertEquals("must be between 1 and 10000", messageFor(b, "deploy:batchSize"));
            assertEquals("is required with Every Day", messageFor(b, "deploy:dailyAt"));
            assertTrue(b.driver().findElements(By.id("deploy:nextRun")).isEmpty(), "nothing deployed");
            var deployed = api().get("/api/environments/" + s.environmentId() + "/process-flows");
            assertEquals(0, deployed.array().size(), deployed.toString());
        }
    }

    /** The text of the message beside an input. */
    static String messageFor(Browser b, String inputId) {
        return b.find(By.id(inputId + "Message")).getText().trim();
    }

    @Test
    void select_all_matching_the_filter_resyncs_every_page_of_it() throws SQLException {
        var contacts = new String[32];
        for (int i = 0; i < 30; i++) {
            contacts[i] = "'m%03d','bad','M'".formatted(i);
        }
        contacts[30] = "'n001','bad','N'";
        contacts[31] = "'n002','bad','N'";
        var s = setup("all", contacts);
        long deploymentId = deployAndExecute(s);
        try (var b = browser(operator(), PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            assertEquals("32 matching", b.text(By.id("bucket:total")));
            b.type(By.id("bucket:sourceId"), "m");
            b.find(By.id("bucket:applyFilter")).click();
            b.until(ExpectedConditions.textToBe(By.id("bucket:total"), "30 matching"));
            assertEquals(25, shownSourceIds(b).size(), "first page");
            b.find(By.cssSelector("[id='bucket:items'] .ui-paginator-next")).click();
            b.until(d -> shownSourceIds(b).equals(List.of("m025", "m026", "m027", "m028", "m029")) ? true : null);
            b.find(By.id("bucket:selectAll")).click();
            b.until(ExpectedConditions.textToBe(By.id("bucket:selectedCount"), "30 selected (all matching the filter)"));
            b.find(By.id("bucket:resync")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "COMPLETED"));
            assertTrue(b.text(By.id("bucket:runStatus")).contains("picked 30 of 30"), b.text(By.id("bucket:runStatus")));
        }
        var fixtures = new FlowFixtures(api());
        assertTrue(fixtures.allItems(deploymentId, "sourceId=m", 100).stream().allMatch(i -> i.getInt("tries") == 1));
        assertTrue(fixtures.allItems(deploymentId, "sourceId=n", 100).stream().allMatch(i -> i.getInt("tries") == 0));
    }

    String operator() {
        users();
        return OPERATOR;
    }

    @Test
    void a_bucket_link_keeps_filter_and_page_a_big_resync_asks_first_and_a_run_stops_from_the_progress_bar() throws SQLException {
        var contacts = new String[130];
        for (int i = 0; i < contacts.length; i++) {
            contacts[i] = "'p%03d','bad','P'".formatted(i);
        }
        var s = setup("link", contacts);
        long deploymentId = deployAndExecute(s);
        // every row read from the source now takes 30 ms: a chunk of 100 lasts seconds, long enough to press Stop
        sql("create alias if not exists slow as $$ boolean slow(int ms) throws Exception { Thread.sleep(ms); return true; } $$",
                "alter table " + s.table() + "_src rename to " + s.table() + "_data",
                "create view " + s.table() + "_src as select * from " + s.table() + "_data where slow(30)");
        try (var b = browser(operator(), PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            filter(b, "p0", "All");
            b.until(ExpectedConditions.textToBe(By.id("bucket:total"), "100 matching"));
            b.until(ExpectedConditions.urlContains("status=ALL"));
            assertTrue(b.driver().getCurrentUrl().contains("sourceId=p0"), b.driver().getCurrentUrl());
            b.find(By.cssSelector("[id='bucket:items'] .ui-paginator-next")).click();
            b.until(ExpectedConditions.urlContains("page=2"));
            var link = b.driver().getCurrentUrl();

            // the link, opened anew, shows the same filter, status and page
            b.driver().navigate().to(link);
            b.until(d -> shownSourceIds(b).size() == 25 && shownSourceIds(b).getFirst().equals("p025") ? true : null);
            assertEquals("p0", b.find(By.id("bucket:sourceId")).getDomProperty("value"));
            assertEquals("All", b.text(By.id("bucket:status_label")));
            assertEquals("100 matching", b.text(By.id("bucket:total")));

            // RESYNC of 130 records asks first; Cancel starts nothing
            filter(b, "", "Failed");
            b.until(ExpectedConditions.textToBe(By.id("bucket:total"), "130 matching"));
            b.find(By.id("bucket:selectAll")).click();
            b.until(ExpectedConditions.textToBe(By.id("bucket:selectedCount"), "130 selected (all matching the filter)"));
            b.find(By.id("bucket:resync")).click();
            var dialog = b.visible(By.cssSelector(".ui-confirm-dialog"));
            assertTrue(dialog.getText().contains("Resync 130 records matching status Failed?"), dialog.getText());
            clickPolled(b, By.id("bucket:confirmNo"));
            b.ajaxDone();
            assertTrue(b.driver().findElements(By.id("bucket:runStatus")).isEmpty(), "no run started");
            assertEquals(0, api().get("/api/deployments/" + deploymentId + "/retry-runs").array().size());

            // Resync confirmed, then stopped from the progress bar: it ends after its chunk, red. On a
            // fresh page (the link keeps the filter): a second dialog on the same page after Cancel came up
            // under its own mask in two full runs, an open defect of issue 14 (see its note)
            b.driver().navigate().refresh();
            b.until(ExpectedConditions.textToBe(By.id("bucket:total"), "130 matching"));
            b.find(By.id("bucket:selectAll")).click();
            b.until(ExpectedConditions.textToBe(By.id("bucket:selectedCount"), "130 selected (all matching the filter)"));
            b.find(By.id("bucket:resync")).click();
            clickPolled(b, By.id("bucket:confirmYes"));
            clickPolled(b, By.id("bucket:stopRun"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "FAILED"));
            assertTrue(b.find(By.id("bucket:progressBar")).getDomAttribute("class").contains("run-failed"));
            var runs = api().get("/api/deployments/" + deploymentId + "/retry-runs").array();
            assertEquals(1, runs.size());
            assertTrue(runs.getJsonObject(0).getInt("picked") < 130, runs.toString());

            // its snapshot: FAILED, red
            b.open("/snapshots/view.xhtml?run=" + FlowFixtures.id(runs.getJsonObject(0), "runId"));
            assertEquals("FAILED", b.text(By.id("run:status")));
            assertTrue(b.find(By.id("run:status")).getDomAttribute("class").contains("run-failed"));
            b.screenshot("snapshot");
        }
    }

    @Test
    void connections_and_flows_are_created_and_edited_with_messages_beside_the_fields() throws SQLException {
        sql("create table ui_src (id varchar(50) primary key, email varchar(200), full_name varchar(200))",
                "create table ui_dst (source_id varchar(50) primary key, email varchar(200), name varchar(200), country varchar(2))");
        var connection = FlowFixtures.unique("UI-CRM");
        var flow = FlowFixtures.unique("UI flow");
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/connections/edit.xhtml");
            b.type(By.id("connection:name"), connection);
            b.type(By.id("connection:jdbcUrl"), "postgres://nowhere");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.textToBe(By.id("connection:jdbcUrlMessage"), "must start with jdbc:h2: or jdbc:postgresql: (the drivers this product supports)"));
            b.type(By.id("connection:jdbcUrl"), h2Url);
            b.type(By.id("connection:username"), "sa");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.urlContains("/connections/list.xhtml"));
            assertTrue(b.text(By.id("connections")).contains(connection));
            var row = By.xpath("//tr[.//span[text()=" + xpathLiteral(connection) + "]]");
            b.find(row).findElement(By.xpath(".//*[contains(@id,':edit')]//a")).click();
            b.until(ExpectedConditions.urlContains("/connections/edit.xhtml"));
            assertEquals(h2Url, b.find(By.id("connection:jdbcUrl")).getAttribute("value"), "the form is prefilled");
            var editedUrl = h2Url.replace("127.0.0.1", "localhost");
            b.type(By.id("connection:jdbcUrl"), editedUrl);
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.urlContains("/connections/list.xhtml"));
            assertTrue(b.find(row).getText().contains(editedUrl), b.find(row).getText());

            b.open("/flows/edit.xhtml");
            b.type(By.id("flow:name"), flow);
            b.type(By.id("flow:definition"), "{ not json");
            b.find(By.id("flow:save")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flow:definitionMessages"), "is not valid JSON"));
            b.type(By.id("flow:definition"), """
                    {"source": {"connection": "NOPE", "table": "ui_src", "idColumn": "id"},
                     "mapping": [{"target": "email", "source": "email"}],
                     "destination": {"connection": "%s", "table": "ui_dst", "keyColumn": "source_id"}}""".formatted(connection));
            b.find(By.id("flow:save")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flow:definitionMessages"), "source.connection"));
            b.type(By.id("flow:definition"), """
                    {"source": {"connection": "%1$s", "table": "ui_src", "idColumn": "id"},
                     "mapping": [{"target": "email", "source": "email"}],
                     "destination": {"connection": "%1$s", "table": "ui_dst", "keyColumn": "source_id"}}""".formatted(connection));
            b.find(By.id("flow:save")).click();
            b.until(ExpectedConditions.urlContains("/flows/list.xhtml"));
            var line = By.xpath("//tr[.//span[text()=" + xpathLiteral(flow) + "]]");
            assertTrue(b.find(line).getText().contains(flow));
            b.find(line).findElement(By.xpath(".//*[contains(@id,':edit')]//a")).click();
            b.until(ExpectedConditions.urlContains("/flows/edit.xhtml"));
            b.type(By.id("flow:description"), "edited in the console");
            b.find(By.id("flow:save")).click();
            b.until(ExpectedConditions.urlContains("/flows/list.xhtml"));
        }
        var flows = api().get("/api/process-flows").array().stream().map(v -> v.asJsonObject())
                .filter(f -> f.getString("name").equals(flow)).toList();
        assertEquals(1, flows.size());
        assertEquals(2, flows.getFirst().getInt("version"), "the edit stored version 2");
        assertEquals("edited in the console", flows.getFirst().getString("description"));
    }

    @Test
    void an_admin_deactivates_an_environment() {
        var created = api().post("/api/environments", "{\"name\":\"" + FlowFixtures.unique("toggle") + "\"}");
        assertEquals(201, created.status(), created.toString());
        long id = FlowFixtures.id(created.json(), "id");
        var name = created.json().getString("name");
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/environments/list.xhtml");
            var line = By.xpath("//tr[.//a[text()=" + xpathLiteral(name) + "]]");
            assertTrue(b.find(line).getText().contains("Active"));
            b.find(line).findElement(By.xpath(".//button[contains(@id,':toggle')]")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(line, "Inactive"));
        }
        assertFalse(api().get("/api/environments/" + id).json().getBoolean("active"));
    }

    @Test
    void a_viewer_sees_the_bucket_but_no_resync_and_no_actions() throws SQLException {
        users();
        var s = setup("viewer", "'v001','bad','V'");
        long deploymentId = deployAndExecute(s);
        try (var b = browser(VIEWER, PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            assertEquals(List.of("v001"), shownSourceIds(b));
            assertTrue(b.driver().findElements(By.id("bucket:resync")).isEmpty(), "no RESYNC for a viewer");
            assertTrue(b.driver().findElements(By.cssSelector("[id='bucket:items'] .ui-chkbox-box")).isEmpty(), "no selection");
            b.open("/environments/view.xhtml?id=" + s.environmentId());
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:retry"));
            assertTrue(b.driver().findElements(By.id("env:tabs:flows:0:execute")).isEmpty(), "no Execute now");
            assertTrue(b.driver().findElements(By.id("env:tabs:flows:0:redeploy")).isEmpty(), "no Redeploy");
        }
    }

    @Test
    void a_record_whose_automatic_retries_are_used_up_is_marked() throws SQLException {
        var s = setup("exhausted", "'e001','bad','E'", "'e002','e@x.de','E'");
        var deployed = api().post("/api/environments/" + s.environmentId() + "/deployments", """
                {"flowId":%d,"retry":{"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":0,"batchSize":10}}"""
                .formatted(s.flowId()));
        assertEquals(201, deployed.status(), deployed.toString());
        long deploymentId = FlowFixtures.id(deployed.json(), "deploymentId");
        new FlowFixtures(api()).execute(deploymentId);
        for (int autoTry = 1; autoTry <= 4; autoTry++) { // "run the automatic retry now", four times
            var run = api().post("/api/deployments/" + deploymentId + "/retry-runs", null);
            assertEquals(202, run.status(), run.toString());
            long runId = FlowFixtures.id(run.json(), "runId");
            var ended = eventually(() -> {
                var status = api().get("/api/retry-runs/" + runId).json().getString("status");
                return "STARTED".equals(status) ? null : status;
            });
            assertEquals("COMPLETED", ended);
        }
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            var line = b.find(row("e001"));
            assertEquals("4", line.findElement(By.cssSelector("[id$=':tries']")).getText());
            assertEquals("Exhausted", line.findElement(By.cssSelector("[id$=':exhausted']")).getText());
            assertEquals("auto 4 of 4", line.findElement(By.cssSelector("[id$=':autoTries']")).getText());
            assertEquals("EXHAUSTED", line.findElement(By.cssSelector("[id$=':queueState']")).getText());
            assertEquals("", line.findElement(By.cssSelector("[id$=':dueAt']")).getText(), "never due again automatically");
            b.open("/snapshots/list.xhtml?deployment=" + deploymentId);
            assertTrue(b.find(By.id("runs:0:status")).getDomAttribute("class").contains("run-failed"),
                    "a COMPLETED run whose every record failed is red");
        }
    }

    @Test
    void html_in_a_source_id_and_an_error_is_shown_as_text() throws SQLException {
        var s = setup("html", "'" + HTML_ID + "','<img src=x onerror=alert(2)>','H'");
        long deploymentId = deployAndExecute(s);
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            var cell = b.find(row(HTML_ID)).findElement(By.cssSelector(".source-id"));
            assertEquals(HTML_ID, cell.getText());
            assertTrue(cell.findElements(By.tagName("b")).isEmpty(), "no markup from the source id");
            b.find(row(HTML_ID)).findElement(By.cssSelector(".ui-row-toggler")).click();
            var error = b.visible(By.cssSelector(".error-text")).getText();
            assertTrue(error.contains("<img src=x onerror=alert(2)>"), error);
            assertTrue(b.driver().findElements(By.cssSelector("tbody[id='bucket:items_data'] img")).isEmpty());
            assertThrows(NoAlertPresentException.class, () -> b.driver().switchTo().alert());
            assertFalse(b.driver().getPageSource().contains("<script>alert(1)</script>"));
        }
    }
}
