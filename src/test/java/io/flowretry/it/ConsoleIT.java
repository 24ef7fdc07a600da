package io.flowretry.it;

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

    static H2Apps h2;
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
        h2 = H2Apps.start();
        h2Url = h2.url("console_apps");
    }

    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.close();
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
            // the guide's steps: Process Flow (the flow chosen in Flows) → Sync & Retry → Review
            assertEquals("Process Flow", activeStep(b));
            assertEquals(s.flow() + " (v1)", b.text(By.id("deploy:flow_label")));
            assertTrue(b.driver().findElements(By.id("deploy:back")).isEmpty(), "no Back on the first step");
            assertTrue(b.driver().findElements(By.id("deploy:submit")).isEmpty(), "the deploy is on the last step");
            next(b, "Sync & Retry");
            assertEquals("Manual", b.text(By.cssSelector("[id='deploy:retryMode'] .ui-state-active")), "manual at first deployment");
            b.press("deploy:retryMode", "Auto");
            b.choose("deploy:frequency", "Every Day");
            b.type(By.id("deploy:dailyAt_input"), "02:30");
            b.type(By.id("deploy:interval"), "6");
            b.type(By.id("deploy:timeLapse"), "0");
            b.type(By.id("deploy:batchSize"), "50");
            next(b, "Review");
            assertEquals(s.flow() + " (v1)", b.text(By.id("deploy:reviewFlow")));
            assertEquals("Auto, every day at 02:30, then every 6 h until midnight; time lapse 0 min; batch size 50",
                    b.text(By.id("deploy:reviewRetry")));
            assertEquals(5, b.driver().findElements(By.cssSelector("[id$=':reviewSlot']")).size(), "the schedule preview kept");
            // Back keeps what was entered
            b.find(By.id("deploy:back")).click();
            b.until(d -> "Sync & Retry".equals(activeStep(b)) ? true : null);
            assertEquals("6", b.find(By.id("deploy:interval")).getDomProperty("value"));
            next(b, "Review");
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
            assertTrue(b.text(By.id("snapshot:status")).startsWith("COMPLETED"));
            b.driver().navigate().back();
            b.until(ExpectedConditions.urlContains("/bucket/view.xhtml"));

            // Snapshots: the manual run, the settings it used, each item's outcome and input
            b.find(By.id("snapshots")).click();
            b.until(ExpectedConditions.urlContains("/snapshots/list.xhtml"));
            assertEquals("COMPLETED", b.text(By.id("runs:0:status")));
            assertTrue(b.find(By.id("runs:0:status")).getDomAttribute("class").contains("run-partial"), "1 of 2 failed: amber");
            b.find(By.id("runs:0:open")).click();
            b.until(ExpectedConditions.urlContains("/snapshots/view.xhtml"));
            assertEquals("1", b.text(By.id("snapshot:flowVersion")));
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
            next(b, "Sync & Retry");
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
            // no flow chosen: Next stays on the first step, the message beside the menu
            b.open("/deployments/deploy.xhtml?environment=" + s.environmentId());
            b.find(By.id("deploy:next")).click();
            b.ajaxDone();
            assertEquals("Choose a flow", messageFor(b, "deploy:flow"));
            assertEquals("Process Flow", activeStep(b));

            b.open("/deployments/deploy.xhtml?environment=" + s.environmentId() + "&flow=" + s.flowId());
            next(b, "Sync & Retry");
            b.press("deploy:retryMode", "Auto");
            b.choose("deploy:frequency", "Every Day");
            b.type(By.id("deploy:dailyAt_input"), "");
            b.type(By.id("deploy:interval"), "30");
            b.type(By.id("deploy:timeLapse"), "-5");
            b.type(By.id("deploy:batchSize"), "0");
            b.find(By.id("deploy:next")).click();
            b.ajaxDone();
            assertEquals("Sync & Retry", activeStep(b), "Next checks the step's fields first");
            assertTrue(b.driver().findElements(By.id("deploy:submit")).isEmpty());
            assertEquals("must be between 1 and 23", messageFor(b, "deploy:interval"));
            assertEquals("must be at least 0", messageFor(b, "deploy:timeLapse"));
            assertEquals("must be between 1 and 10000", messageFor(b, "deploy:batchSize"));
            assertEquals("is required with Every Day", messageFor(b, "deploy:dailyAt"));
            assertTrue(b.driver().findElements(By.id("deploy:nextRun")).isEmpty(), "nothing deployed");
            var deployed = api().get("/api/environments/" + s.environmentId() + "/process-flows");
            assertEquals(0, deployed.array().size(), deployed.toString());
        }
    }

    /** The title of the wizard's step shown. */
    static String activeStep(Browser b) {
        return b.text(By.cssSelector("[id='deploy:steps'] .ui-state-highlight .ui-steps-title"));
    }

    /** Next in the wizard, then waits for the step named. */
    static void next(Browser b, String step) {
        b.find(By.id("deploy:next")).click();
        b.ajaxDone();
        b.until(d -> step.equals(activeStep(b)) ? true : null);
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

            // Resync confirmed on the same page (a second dialog after Cancel used to come up under its own
            // mask: the confirm button could not be clicked), then stopped from the progress bar: it ends
            // after its chunk, red
            b.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".ui-confirm-dialog")));
            b.find(By.id("bucket:resync")).click();
            b.visible(By.cssSelector(".ui-confirm-dialog"));
            var mask = b.driver().findElements(By.cssSelector(".ui-widget-overlay")).stream().filter(WebElement::isDisplayed).toList();
            var zDialog = Integer.parseInt(b.find(By.cssSelector(".ui-confirm-dialog")).getCssValue("z-index"));
            for (var m : mask) {
                assertTrue(Integer.parseInt(m.getCssValue("z-index")) < zDialog, "the dialog is above every mask");
            }
            clickPolled(b, By.id("bucket:confirmYes"));
            clickPolled(b, By.id("bucket:stopRun"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "FAILED"));
            assertTrue(b.find(By.id("bucket:progressBar")).getDomAttribute("class").contains("run-failed"));
            var runs = api().get("/api/deployments/" + deploymentId + "/retry-runs").array();
            assertEquals(1, runs.size());
            assertTrue(runs.getJsonObject(0).getInt("picked") < 130, runs.toString());

            long runId = FlowFixtures.id(runs.getJsonObject(0), "runId");

            // its snapshot: FAILED, red; the list pages, filters and says how long a run took
            b.open("/snapshots/view.xhtml?run=" + runId);
            assertEquals("FAILED", b.text(By.id("snapshot:status")));
            assertTrue(b.find(By.id("snapshot:status")).getDomAttribute("class").contains("run-failed"));
            b.find(By.id("items:failedOnly")).findElement(By.cssSelector(".ui-chkbox-box")).click();
            b.ajaxDone();
            assertFalse(b.driver().findElements(By.cssSelector("[id$=':outcome']")).isEmpty(), "every record failed: all shown");
            b.open("/snapshots/list.xhtml?deployment=" + deploymentId + "&trigger=AUTO");
            assertEquals("No retry run matches", b.text(By.cssSelector("[id='runs_data'] td")));
            b.open("/snapshots/list.xhtml?deployment=" + deploymentId + "&trigger=MANUAL&status=FAILED");
            assertEquals(String.valueOf(runId), b.text(By.id("runs:0:open")));
            assertTrue(b.text(By.id("runs:0:duration")).matches("[0-9.]+ s|\\d+ min \\d+ s"), b.text(By.id("runs:0:duration")));
        }
    }

    /**
     * Stop on a running run's snapshot page (issue 14: the button did nothing in Chromium, and the
     * page's poll never showed a change). The run is kept running by a slow destination: an HTTP
     * app on 127.0.0.1 that refuses every write (422) during the main execution, then answers each
     * write after 1.5 s, one at a time, chunks of 2.
     */
    @Test
    void a_run_kept_running_by_a_slow_destination_stops_from_its_snapshot_page() throws Exception {
        var delayMillis = new java.util.concurrent.atomic.AtomicLong(0);
        var refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
        var erp = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        erp.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        erp.createContext("/customers/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            FlowFixtures.sleep(delayMillis.get());
            var body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(refuse.get() ? 422 : 200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (java.io.IOException gaveUp) {
                // the product stopped waiting: nothing to answer
            }
        });
        erp.start();
        try {
            var table = "stopper";
            sql("create table " + table + "_src (id varchar(200) primary key, email varchar(200), full_name varchar(200))");
            for (int i = 0; i < 20; i++) {
                sql("insert into " + table + "_src values ('s%03d', 's%d@x.de', 'S')".formatted(i, i));
            }
            var fixtures = new FlowFixtures(api());
            long environmentId = fixtures.environment(FlowFixtures.unique("stop env"));
            var crm = fixtures.jdbcConnection("CRM", h2Url, "sa", "");
            var erpName = FlowFixtures.unique("ERP");
            var conn = api().post("/api/connections", """
                    {"name":"%s","type":"HTTP","baseUrl":"http://127.0.0.1:%d","maxConcurrency":1}"""
                    .formatted(erpName, erp.getAddress().getPort()));
            assertEquals(201, conn.status(), conn.toString());
            long flowId = fixtures.flow(FlowFixtures.unique("stop flow"), """
                    {"connection":"%s","table":"%s_src","idColumn":"id"}""".formatted(crm, table), """
                    {"connection":"%s","path":"/customers/{id}","method":"PUT"}""".formatted(erpName));
            long deploymentId = fixtures.deploy(environmentId, flowId, 2, "{\"mode\":\"MANUAL\"}");
            var executed = fixtures.execute(deploymentId);
            assertEquals(20, executed.getInt("failed"), executed.toString());

            refuse.set(false);
            delayMillis.set(1500);
            var resync = api().post("/api/deployments/" + deploymentId + "/resync", "{\"filter\":{}}");
            assertEquals(202, resync.status(), resync.toString());
            long runId = FlowFixtures.id(resync.json(), "runId");
            try (var b = browser(operator(), PASSWORD)) {
                b.open("/snapshots/view.xhtml?run=" + runId);
                assertEquals("STARTED", b.text(By.id("snapshot:status")));
                // the poll answers: the counts move while the run runs
                b.until(d -> !b.text(By.id("snapshot:counts")).startsWith("picked 0,") ? true : null);
                clickPolled(b, By.id("snapshot:stop"));
                b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Run " + runId + " stops after its current chunk"));
                b.until(ExpectedConditions.textToBe(By.id("snapshot:status"), "FAILED"));
                assertTrue(b.text(By.id("snapshot:reason")).contains("stopped"), b.text(By.id("snapshot:reason")));
                assertTrue(b.driver().findElements(By.id("snapshot:stop")).isEmpty(), "no Stop for an ended run");
            }
            var run = api().get("/api/retry-runs/" + runId).json();
            assertEquals("FAILED", run.getString("status"), run.toString());
            assertTrue(run.getInt("picked") < 20, "stopped before its end: " + run);
        } finally {
            erp.stop(0);
        }
    }

    @Test
    void an_operator_discards_records_with_a_reason_and_edits_one_before_its_resync() throws SQLException {
        var s = setup("actions", "'a001','bad-1','Anna'", "'a002','bad-2','Bert'", "'a003','bad-3','Cleo'");
        long deploymentId = deployAndExecute(s);
        try (var b = browser(operator(), PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            b.until(d -> shownSourceIds(b).size() == 3 ? true : null);
            // nothing selected: a message, no dialog
            b.find(By.id("bucket:discard")).click();
            b.ajaxDone();
            assertTrue(b.text(By.id("messages")).contains("Select the records to discard first"));
            assertFalse(b.find(By.id("bucket:discardDialog")).isDisplayed());

            // two selected: the dialog asks, a missing reason is shown beside its field and discards nothing
            check(b, "a001");
            check(b, "a002");
            b.find(By.id("bucket:discard")).click();
            b.visible(By.id("bucket:discardDialog"));
            assertTrue(b.text(By.id("bucket:discardMessage")).startsWith("Discard 2 selected records?"), b.text(By.id("bucket:discardMessage")));
            clickPolled(b, By.id("bucket:discardYes"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:discardReasonMessage"), "is required"));
            assertEquals("FAILED", api().get("/api/deployments/" + deploymentId + "/bucket?sourceId=a001").json()
                    .getJsonArray("items").getJsonObject(0).getString("status"));
            b.type(By.id("bucket:discardReason"), "duplicates of a003");
            clickPolled(b, By.id("bucket:discardYes"));
            b.until(ExpectedConditions.invisibilityOfElementLocated(By.id("bucket:discardDialog")));
            b.until(d -> shownSourceIds(b).equals(List.of("a003")) ? true : null);
            assertTrue(b.text(By.id("messages")).contains("Discarded 2 records"), b.text(By.id("messages")));

            // the Discarded filter shows them; the timeline says who discarded and why
            b.choose("bucket:status", "Discarded");
            b.until(d -> shownSourceIds(b).equals(List.of("a001", "a002")) ? true : null);
            assertEquals("DISCARDED", b.find(row("a001")).findElement(By.cssSelector("[id$=':status']")).getText());
            b.find(row("a001")).findElement(By.cssSelector(".ui-row-toggler")).click();
            var timeline = b.visible(By.cssSelector(".ui-chronoline")).getText();
            assertTrue(timeline.contains("DISCARD") && timeline.contains("by " + operator() + ": duplicates of a003"), timeline);

            // a003 edited before its resync: bad JSON is shown beside the field, then the override is saved
            b.choose("bucket:status", "Failed");
            b.until(d -> shownSourceIds(b).equals(List.of("a003")) ? true : null);
            b.find(row("a003")).findElement(By.cssSelector(".ui-row-toggler")).click();
            var fields = By.cssSelector("textarea[id$=':overrideFields']");
            b.type(fields, "{\"EMAIL\": \"cleo@example.com\"");
            b.type(By.cssSelector("input[id$=':overrideReason']"), "address from the customer's letter");
            b.find(By.cssSelector("button[id$=':saveOverride']")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[id$=':overrideFieldsMessage']"),
                    "line 1, column 29: unexpected end"));
            assertTrue(OperatorActionsIT.noOverride(api().get("/api/bucket-items/" + FlowFixtures.id(api().get("/api/deployments/"
                    + deploymentId + "/bucket?sourceId=a003").json().getJsonArray("items").getJsonObject(0), "id")).json()), "nothing saved");
            b.type(fields, "{\"EMAIL\": \"cleo@example.com\"}");
            b.find(By.cssSelector("button[id$=':saveOverride']")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[id$=':overrideShown']"), "Set by " + operator()));
            b.screenshot("bucket-override");

            check(b, "a003");
            b.find(By.id("bucket:resync")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "COMPLETED"));
            b.until(d -> "SUCCESS".equals(b.find(row("a003")).findElement(By.cssSelector("[id$=':status']")).getText()) ? true : null);
            sqlValue("select email from " + s.table() + "_dst where source_id = 'a003'", "cleo@example.com");
        }
    }

    static void sqlValue(String query, String expected) throws SQLException {
        try (var c = DriverManager.getConnection(h2Url, "sa", ""); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            assertTrue(rs.next(), query);
            assertEquals(expected, rs.getString(1), query);
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
            assertTrue(b.text(By.id("list:connections")).contains(connection));
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

    /**
     * An HTTP app behind OAuth2 client credentials, on 127.0.0.1: its token endpoint gives a token only to
     * client {@code app} with secret {@code s3cret-ui}; its base URL answers 404 (there) to that token, 401 to anything else.
     */
    static com.sun.net.httpserver.HttpServer oauthApp() throws java.io.IOException {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            var basic = "Basic " + java.util.Base64.getEncoder().encodeToString("app:s3cret-ui".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var body = "{\"access_token\":\"ui-token\",\"expires_in\":3600}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(401, -1);
            }
            exchange.close();
        });
        server.createContext("/api", exchange -> {
            exchange.sendResponseHeaders("Bearer ui-token".equals(exchange.getRequestHeaders().getFirst("Authorization")) ? 404 : 401, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void an_http_connections_limits_and_auth_are_edited_with_messages_beside_the_fields_and_its_secret_kept() throws Exception {
        var app = oauthApp();
        var name = FlowFixtures.unique("UI-ERP");
        var base = "http://127.0.0.1:" + app.getAddress().getPort();
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/connections/edit.xhtml");
            b.type(By.id("connection:name"), name);
            b.press("connection:type", "HTTP");
            b.type(By.id("connection:baseUrl"), base + "/api");
            b.type(By.id("connection:maxConcurrency"), "many");
            b.type(By.id("connection:requestsPerSecond"), "fast");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.textToBe(By.id("connection:maxConcurrencyMessage"), "must be a whole number"));
            assertEquals("must be a number such as 2.5", b.text(By.id("connection:requestsPerSecondMessage")));

            b.type(By.id("connection:maxConcurrency"), "65");
            b.type(By.id("connection:requestsPerSecond"), "0");
            b.type(By.id("connection:connectTimeoutSeconds"), "0");
            b.type(By.id("connection:requestTimeoutSeconds"), "3601");
            b.press("connection:authType", "OAuth2 client credentials");
            b.type(By.id("connection:authTokenUrl"), "not a url");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.textToBe(By.id("connection:maxConcurrencyMessage"), "must be between 1 and 64"));
            assertEquals("must be greater than 0 and at most 10000", b.text(By.id("connection:requestsPerSecondMessage")));
            assertEquals("must be between 1 and 3600", b.text(By.id("connection:connectTimeoutSecondsMessage")));
            assertEquals("must be between 1 and 3600", b.text(By.id("connection:requestTimeoutSecondsMessage")));
            assertEquals("must be an absolute http:// or https:// URL with a host (no spaces)", b.text(By.id("connection:authTokenUrlMessage")));
            assertEquals("is required", b.text(By.id("connection:authClientIdMessage")));
            assertEquals("is required", b.text(By.id("connection:authClientSecretMessage")));
            assertTrue(api().get("/api/connections").array().stream().noneMatch(c -> c.asJsonObject().getString("name").equals(name)),
                    "nothing saved");

            b.type(By.id("connection:maxConcurrency"), "4");
            b.type(By.id("connection:requestsPerSecond"), "2.5");
            b.type(By.id("connection:connectTimeoutSeconds"), "3");
            b.type(By.id("connection:requestTimeoutSeconds"), "20");
            b.type(By.id("connection:authTokenUrl"), base + "/token");
            b.type(By.id("connection:authClientId"), "app");
            b.type(By.id("connection:authClientSecret"), "s3cret-ui");
            b.type(By.id("connection:authScope"), "erp:write");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.urlContains("/connections/list.xhtml"));

            var stored = api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                    .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow();
            long id = FlowFixtures.id(stored, "id");
            assertEquals(4, stored.getInt("maxConcurrency"), stored.toString());
            assertEquals(2.5, stored.getJsonNumber("requestsPerSecond").doubleValue(), stored.toString());
            assertEquals(3, stored.getInt("connectTimeoutSeconds"), stored.toString());
            assertEquals(20, stored.getInt("requestTimeoutSeconds"), stored.toString());
            var auth = stored.getJsonObject("auth");
            assertEquals("OAUTH2_CLIENT_CREDENTIALS", auth.getString("type"));
            assertEquals("app", auth.getString("clientId"));
            assertEquals("erp:write", auth.getString("scope"));
            assertEquals("***", auth.getString("clientSecret"), "masked");

            b.open("/connections/edit.xhtml?id=" + id);
            assertEquals("4", b.find(By.id("connection:maxConcurrency")).getAttribute("value"), "the form is prefilled");
            assertEquals("app", b.find(By.id("connection:authClientId")).getAttribute("value"));
            assertEquals("", b.find(By.id("connection:authClientSecret")).getAttribute("value"), "a secret is never shown");
            assertEquals("empty keeps the stored client secret", b.find(By.id("connection:authClientSecret")).getAttribute("placeholder"));
            b.type(By.id("connection:requestTimeoutSeconds"), "25");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.urlContains("/connections/list.xhtml"));
            assertEquals(25, api().get("/api/connections/" + id).json().getInt("requestTimeoutSeconds"));

            // the kept secret still signs in: the probe fetches a token with it and calls the app with the token
            b.open("/connections/edit.xhtml?id=" + id);
            b.find(By.id("health:test")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("health:testResult"), "The app answered in"));

            // another auth type does not inherit the stored secret
            b.press("connection:authType", "Bearer");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.textToBe(By.id("connection:authTokenMessage"), "is required"));
            b.type(By.id("connection:authToken"), "wrong-token");
            b.find(By.id("connection:save")).click();
            b.until(ExpectedConditions.urlContains("/connections/list.xhtml"));
            b.open("/connections/edit.xhtml?id=" + id);
            b.find(By.id("health:test")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("health:testResult"), "HTTP 401"));
            assertFalse(b.text(By.id("health:testResult")).contains("wrong-token"), "a secret is never shown");
        } finally {
            app.stop(0);
        }
    }

    /** The id of the connection of that name, over the API. */
    long connectionId(String name) {
        return api().get("/api/connections").array().stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(name)).map(c -> FlowFixtures.id(c, "id")).findFirst().orElseThrow();
    }

    @Test
    void connections_and_flows_nothing_uses_are_deleted_the_others_say_what_uses_them() throws SQLException {
        users();
        var s = setup("deleting", "'x001','x@x.de','X'");
        long deploymentId = new FlowFixtures(api()).deploy(s.environmentId(), s.flowId(), 100, "{\"mode\":\"MANUAL\"}");
        long crmId = connectionId(s.node());

        // API: in use → 409 problem+json naming the user; a viewer may not delete; nothing is deleted
        var flowInUse = api().delete("/api/process-flows/" + s.flowId());
        assertEquals(409, flowInUse.status(), flowInUse.toString());
        assertTrue(flowInUse.contentType().startsWith("application/problem+json"), flowInUse.contentType());
        assertTrue(flowInUse.json().getString("detail").contains("deployment " + deploymentId + " in environment " + s.environment()),
                flowInUse.toString());
        var connectionInUse = api().delete("/api/connections/" + crmId);
        assertEquals(409, connectionInUse.status(), connectionInUse.toString());
        assertTrue(connectionInUse.json().getString("detail").contains(s.flow()), connectionInUse.toString());
        assertEquals(403, api().as(VIEWER, PASSWORD).delete("/api/connections/" + crmId).status());
        assertEquals(200, api().get("/api/process-flows/" + s.flowId()).status());
        assertEquals(200, api().get("/api/connections/" + crmId).status());
        // undeployed, its bucket is kept and shows the flow: still in use
        assertEquals(200, api().delete("/api/deployments/" + deploymentId).status());
        var undeployed = api().delete("/api/process-flows/" + s.flowId());
        assertEquals(409, undeployed.status(), undeployed.toString());
        assertTrue(undeployed.json().getString("detail").contains("undeployed"), undeployed.toString());
        assertEquals(404, api().delete("/api/process-flows/999999999").status());

        // console: a flow nobody deployed is deleted after the confirm, then the connection only it used
        var fixtures = new FlowFixtures(api());
        var spare = fixtures.jdbcConnection("SPARE", h2Url, "sa", "");
        var lonely = FlowFixtures.unique("lonely flow");
        long lonelyId = fixtures.flow(lonely, """
                {"connection":"%s","table":"%s_src","idColumn":"id"}""".formatted(spare, s.table()), """
                {"connection":"%s","table":"%s_dst","keyColumn":"source_id"}""".formatted(spare, s.table()));
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/connections/list.xhtml");
            var spareRow = By.xpath("//tr[.//span[text()=" + xpathLiteral(spare) + "]]");
            b.find(spareRow).findElement(By.xpath(".//button[contains(@id,':delete')]")).click();
            var dialog = b.visible(By.cssSelector(".ui-confirm-dialog"));
            assertTrue(dialog.getText().contains("Delete the connection " + spare + "?"), dialog.getText());
            clickPolled(b, By.id("list:confirmYes"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "is used by the process flow " + lonely));
            assertTrue(b.driver().findElements(spareRow).size() == 1, "still listed");

            b.open("/flows/list.xhtml");
            var inUse = By.xpath("//tr[.//span[text()=" + xpathLiteral(s.flow()) + "]]");
            b.find(inUse).findElement(By.xpath(".//button[contains(@id,':delete')]")).click();
            b.visible(By.cssSelector(".ui-confirm-dialog"));
            clickPolled(b, By.id("flows:confirmYes"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "is used by deployment " + deploymentId));

            var lonelyRow = By.xpath("//tr[.//span[text()=" + xpathLiteral(lonely) + "]]");
            b.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".ui-confirm-dialog")));
            b.find(lonelyRow).findElement(By.xpath(".//button[contains(@id,':delete')]")).click();
            b.visible(By.cssSelector(".ui-confirm-dialog"));
            clickPolled(b, By.id("flows:confirmYes"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Deleted the process flow " + lonely));
            b.until(ExpectedConditions.numberOfElementsToBe(lonelyRow, 0));

            b.open("/connections/list.xhtml");
            b.find(spareRow).findElement(By.xpath(".//button[contains(@id,':delete')]")).click();
            b.visible(By.cssSelector(".ui-confirm-dialog"));
            clickPolled(b, By.id("list:confirmYes"));
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Deleted the connection " + spare));
            b.until(ExpectedConditions.numberOfElementsToBe(spareRow, 0));
        }
        assertEquals(404, api().get("/api/process-flows/" + lonelyId).status());
        assertTrue(api().get("/api/connections").array().stream().noneMatch(c -> c.asJsonObject().getString("name").equals(spare)));
        var deletedAgain = api().delete("/api/process-flows/" + lonelyId);
        assertEquals(404, deletedAgain.status(), deletedAgain.toString());
    }

    @Test
    void the_environment_page_follows_a_running_execution_by_itself_and_stops_polling_when_none_runs() throws SQLException {
        var contacts = new String[30];
        for (int i = 0; i < contacts.length; i++) {
            contacts[i] = "'r%03d','r%d@x.de','R'".formatted(i, i);
        }
        var s = setup("refresh", contacts);
        new FlowFixtures(api()).deploy(s.environmentId(), s.flowId(), 10, "{\"mode\":\"MANUAL\"}");
        // each source row now takes 100 ms to read: an execution lasts seconds
        sql("create alias if not exists slow as $$ boolean slow(int ms) throws Exception { Thread.sleep(ms); return true; } $$",
                "alter table " + s.table() + "_src rename to " + s.table() + "_data",
                "create view " + s.table() + "_src as select * from " + s.table() + "_data where slow(100)");
        try (var b = browser(operator(), PASSWORD)) {
            b.open("/environments/view.xhtml?id=" + s.environmentId());
            assertEquals("never executed", b.text(By.id("env:tabs:flows:0:lastExecution")));
            assertFalse(pollActive(b), "nothing runs: no poll");
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:execute")).click();
            b.ajaxDone();
            assertTrue(b.text(By.id("env:tabs:flows:0:lastExecution")).startsWith("STARTED"), b.text(By.id("env:tabs:flows:0:lastExecution")));
            assertTrue(pollActive(b), "an execution runs: the page polls");
            // no Refresh pressed: the poll shows the end, then stops
            b.until(Duration.ofSeconds(90), ExpectedConditions.textToBe(By.id("env:tabs:flows:0:lastExecution"), "COMPLETED (read 30, failed 0)"));
            b.until(d -> !pollActive(b) ? true : null);

            // auto-refresh off: an execution started does not start the poll; Refresh shows its end
            b.find(By.id("env:tabs:autoRefresh")).findElement(By.cssSelector(".ui-chkbox-box")).click();
            b.ajaxDone();
            b.find(By.id("env:tabs:flows:0:actions_button")).click();
            b.visible(By.id("env:tabs:flows:0:execute")).click();
            b.ajaxDone();
            assertTrue(b.text(By.id("env:tabs:flows:0:lastExecution")).startsWith("STARTED"));
            assertFalse(pollActive(b), "auto-refresh is off");
            var ended = eventually(() -> {
                b.find(By.id("env:tabs:refresh")).click();
                b.ajaxDone();
                var text = b.text(By.id("env:tabs:flows:0:lastExecution"));
                return text.startsWith("COMPLETED") ? text : null;
            });
            assertEquals("COMPLETED (read 30, failed 0)", ended);
        }
    }

    static boolean pollActive(Browser b) {
        return Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) b.driver()).executeScript(
                "var w = PrimeFaces.widgets['flowsPoll']; return !!(w && w.active);"));
    }

    /** Visible inputs of the page's content (the header's sign-out form aside). */
    static List<WebElement> editableInputs(Browser b) {
        return b.driver().findElements(By.cssSelector("main input:not([type='hidden']), main textarea, main select"));
    }

    @Test
    void a_viewer_sees_connections_flows_and_the_deploy_wizard_read_only() throws SQLException {
        users();
        var s = setup("readonly", "'o001','o@x.de','O'");
        long crmId = connectionId(s.node());
        try (var b = browser(VIEWER, PASSWORD)) {
            b.open("/connections/list.xhtml");
            var line = b.find(By.xpath("//tr[.//span[text()=" + xpathLiteral(s.node()) + "]]"));
            assertTrue(line.findElements(By.xpath(".//button[contains(@id,':delete')]")).isEmpty(), "no Delete");
            line.findElement(By.xpath(".//*[contains(@id,':view')]//a")).click();
            b.until(ExpectedConditions.urlContains("/connections/edit.xhtml?id=" + crmId));
            assertEquals(s.node(), b.text(By.id("shownName")));
            assertEquals(h2Url, b.text(By.id("shownJdbcUrl")));
            assertTrue(editableInputs(b).isEmpty(), "no editable input: " + editableInputs(b));
            assertTrue(b.driver().findElements(By.id("connection:save")).isEmpty(), "no Save");

            b.open("/flows/edit.xhtml?id=" + s.flowId());
            assertEquals(s.flow(), b.text(By.id("shownName")));
            assertTrue(b.text(By.id("shownDefinition")).contains(s.table() + "_src"), b.text(By.id("shownDefinition")));
            assertTrue(editableInputs(b).isEmpty(), "no editable input: " + editableInputs(b));
            assertTrue(b.driver().findElements(By.id("flow:save")).isEmpty(), "no Save");

            b.open("/deployments/deploy.xhtml?environment=" + s.environmentId() + "&flow=" + s.flowId());
            assertEquals("Review", activeStep(b));
            assertEquals(s.flow() + " (v1)", b.text(By.id("deploy:reviewFlow")));
            assertEquals("Manual (an operator presses RESYNC)", b.text(By.id("deploy:reviewRetry")));
            assertEquals("Only admins deploy flows.", b.text(By.id("deploy:adminsOnly")));
            assertTrue(editableInputs(b).isEmpty(), "no editable input: " + editableInputs(b));
            for (var button : List.of("deploy:submit", "deploy:next", "deploy:back")) {
                assertTrue(b.driver().findElements(By.id(button)).isEmpty(), "no " + button);
            }
        }
    }

    /**
     * The README's screenshots, from the demo: the environment "Demo", the apps "CRM" and "ERP" with
     * the demo's 25 contacts (DemoData's own rows, read here) and the flow "Contacts to customers",
     * deployed as DEMO_DATA deploys it and executed once; then the bucket, the wizard's three steps
     * (a redeploy) and the snapshot of a RESYNC of contact 4 (fixed at the source) and 9.
     */
    @Test
    void screenshots_of_the_demo() throws Exception {
        var field = Class.forName("io.flowretry.demo.boundary.DemoData").getDeclaredField("CONTACTS");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        var rows = (List<Object[]>) field.get(null);
        sql("drop table if exists contacts", "drop table if exists customers",
                "create table contacts (id int primary key, email varchar(200), full_name varchar(200), city varchar(100))",
                "create table customers (source_id varchar(200) primary key, email varchar(200), name varchar(200), country varchar(2))");
        try (var c = DriverManager.getConnection(h2Url, "sa", "");
             var insert = c.prepareStatement("insert into contacts values (?, ?, ?, ?)")) {
            for (var row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.executeUpdate();
            }
        }
        long environmentId = existingOr("/api/environments", "Demo",
                () -> api().post("/api/environments", "{\"name\":\"Demo\",\"description\":\"Created by DEMO_DATA=true\",\"timeZone\":\"UTC\"}"));
        for (var app : List.of("CRM", "ERP")) {
            var body = "{\"name\":\"" + app + "\",\"type\":\"JDBC\",\"jdbcUrl\":\"" + h2Url + "\",\"username\":\"sa\",\"password\":\"\"}";
            long id = existingOr("/api/connections", app, () -> api().post("/api/connections", body));
            assertEquals(200, api().put("/api/connections/" + id, body).status()); // kept from an earlier run: this run's app
        }
        long flowId = existingOr("/api/process-flows", "Contacts to customers", () -> api().post("/api/process-flows", """
                {"name":"Contacts to customers","description":"CRM contacts into ERP customers",
                 "source":{"connection":"CRM","table":"contacts","idColumn":"id"},
                 "mapping":[{"target":"email","source":"email","required":true,"pattern":"^[^@]+@[^@]+$"},
                            {"target":"name","source":"full_name","required":true},
                            {"target":"country","value":"DE"}],
                 "destination":{"connection":"ERP","table":"customers","keyColumn":"source_id"}}"""));
        var deployed = api().post("/api/environments/" + environmentId + "/deployments", """
                {"flowId":%d,"sync":{"mode":"MANUAL"},
                 "retry":{"mode":"AUTO","frequency":"HOURLY","intervalHours":1,"timeLapseMinutes":20,"batchSize":100}}""".formatted(flowId));
        assertTrue(deployed.status() == 201 || deployed.status() == 200, deployed.toString());
        long deploymentId = FlowFixtures.id(deployed.json(), "deploymentId");
        new FlowFixtures(api()).execute(deploymentId);
        try (var b = browser("admin", Api.ADMIN_PASSWORD)) {
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            b.until(d -> shownSourceIds(b).equals(List.of("13", "17", "22", "4", "9")) || shownSourceIds(b).equals(List.of("4", "9", "13", "17", "22")) ? true : null);
            b.screenshot("resync-bucket");

            b.open("/deployments/deploy.xhtml?environment=" + environmentId + "&flow=" + flowId);
            assertEquals("Process Flow", activeStep(b));
            b.screenshot("deploy-step-1-process-flow");
            next(b, "Sync & Retry");
            b.visible(By.cssSelector("[id$=':slot']"));
            b.screenshot("deploy-step-2-sync-retry");
            next(b, "Review");
            b.screenshot("deploy-step-3-review");

            sql("update contacts set email = 'mia.weber@example.com' where id = 4");
            b.open("/bucket/view.xhtml?deployment=" + deploymentId);
            check(b, "4");
            check(b, "9");
            b.find(By.id("bucket:resync")).click();
            b.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bucket:runStatus"), "COMPLETED"));
            clickPolled(b, By.id("bucket:runSnapshot"));
            b.until(ExpectedConditions.urlContains("/snapshots/view.xhtml"));
            assertEquals("COMPLETED", b.text(By.id("snapshot:status")));
            b.screenshot("snapshot");
        }
    }

    /** The id of the resource named so under that list, made by {@code create} (201) when there is none. */
    long existingOr(String list, String name, Supplier<Api.Reply> create) {
        var found = api().get(list).array().stream().map(v -> v.asJsonObject()).filter(o -> o.getString("name").equals(name)).findFirst();
        if (found.isPresent()) {
            return FlowFixtures.id(found.get(), "id");
        }
        var created = create.get();
        assertEquals(201, created.status(), created.toString());
        return FlowFixtures.id(created.json(), "id");
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

            // a new one's time zone is chosen from the list, not typed
            var zoned = FlowFixtures.unique("zoned");
            b.type(By.id("create:name"), zoned);
            b.choose("create:timeZone", "Asia/Tokyo");
            b.find(By.id("create:save")).click();
            b.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[.//a[text()=" + xpathLiteral(zoned) + "]]")));
            assertTrue(b.text(By.xpath("//tr[.//a[text()=" + xpathLiteral(zoned) + "]]")).contains("Asia/Tokyo"));
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
