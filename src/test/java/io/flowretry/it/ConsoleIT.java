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
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators' console in a real (headless) browser against the deployed WAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    static final String OPERATOR = "olivia";
    static final String VIEWER = "victor";
    static final String PASSWORD = "secret-pass-1";

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    static Browser admin;

    Api api() {
        return Api.at(url);
    }

    Browser admin() {
        if (admin == null) {
            admin = new Browser(api().base()).login("admin", Api.ADMIN_PASSWORD);
        }
        return admin;
    }

    @AfterAll
    static void closeBrowsers() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void pages_need_login_and_bad_credentials_get_a_message() {
        try (var browser = new Browser(api().base())) {
            browser.open("/environments/list.xhtml");
            browser.until(ExpectedConditions.urlContains("/login.xhtml"));
            browser.login("admin", "wrong-password");
            assertTrue(browser.text(By.id("login:messages")).contains("Unknown user or wrong password"));
            browser.login("admin", Api.ADMIN_PASSWORD);
            browser.until(ExpectedConditions.urlContains("/environments/list.xhtml"));
            assertEquals("admin", browser.text(By.id("session:caller")).trim());
        }
    }

    @Test
    void admin_deactivates_and_activates_an_environment() {
        var created = api().post("/api/environments", "{\"name\":\"toggle-me\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, created.status(), created.toString());
        long id = created.json().getJsonNumber("id").longValue();
        var browser = admin().open("/environments/list.xhtml");
        var row = By.xpath("//tr[.//a[text()='toggle-me']]");
        assertTrue(browser.find(row).getText().contains("Europe/Berlin"));
        browser.find(row).findElement(By.xpath(".//button[contains(@id,':toggle')]")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(row, "Inactive"));
        assertEquals(false, api().get("/api/environments/" + id).json().getBoolean("active"));
    }
}
