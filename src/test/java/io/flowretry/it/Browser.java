package io.flowretry.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;

/**
 * Debian's headless Chromium driven by its own chromedriver (both given by path, so Selenium
 * Manager never downloads anything), browsing only {@code http://127.0.0.1:PORT}. One fresh
 * profile per browser; close it to remove the profile.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("flowretry.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("flowretry.chromedriver", "/usr/bin/chromedriver");

    private final String base;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    public Browser(String base) {
        this.base = base;
        try {
            profile = Files.createTempDirectory("flowretry-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Browser open(String path) {
        driver.get(base + path);
        return this;
    }

    public Browser login(String user, String password) {
        open("/login.xhtml");
        type(By.id("login:username"), user);
        type(By.id("login:password"), password);
        driver.findElement(By.id("login:signin")).click();
        until(d -> !d.getCurrentUrl().contains("/login.xhtml")
                || !d.findElements(By.cssSelector("#login\\:messages .ui-messages-error")).isEmpty());
        return this;
    }

    /** Replaces the field's text as a user would: select all, delete, type. */
    public void type(By by, String text) {
        var field = visible(by);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        field.sendKeys(text);
    }

    /**
     * Picks an option of a PrimeFaces selectOneMenu by its label, as a user does: opens the menu,
     * clicks the option, and tries again until the menu shows it (a click during the panel's
     * animation can miss); then waits for the Ajax request the change may send.
     */
    public void choose(String menuId, String label) {
        var shown = By.id(menuId + "_label");
        var option = By.xpath("//div[@id='" + menuId + "_panel']//li[@data-label=" + literal(label) + "]");
        until(d -> {
            if (label.equals(d.findElement(shown).getText())) {
                return true;
            }
            var visible = d.findElements(option).stream().filter(WebElement::isDisplayed).findFirst();
            if (visible.isPresent()) {
                visible.get().click();
            } else {
                d.findElement(By.id(menuId)).click();
            }
            return null;
        });
        ajaxDone();
    }

    private static String literal(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    /** Presses the option of a PrimeFaces selectOneButton with that label until it shows as chosen. */
    public void press(String buttonsId, String label) {
        var button = By.xpath("//div[@id='" + buttonsId + "']//div[contains(@class,'ui-button')][.//span[text()=" + literal(label) + "]]");
        until(d -> {
            var element = d.findElement(button);
            if (element.getAttribute("class").contains("ui-state-active")) {
                return true;
            }
            element.click();
            return null;
        });
        ajaxDone();
    }

    public WebElement find(By by) {
        return until(ExpectedConditions.presenceOfElementLocated(by));
    }

    public WebElement visible(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public String text(By by) {
        return find(by).getText();
    }

    public <T> T until(Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return until(Duration.ofSeconds(30), condition);
    }

    public <T> T until(Duration timeout, Function<? super org.openqa.selenium.WebDriver, T> condition) {
        // an Ajax update may replace an element between finding and reading it: look again
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits until PrimeFaces has no Ajax request queued or running. */
    public void ajaxDone() {
        until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return document.readyState === 'complete' && (!window.PrimeFaces || PrimeFaces.ajax.Queue.isEmpty())"
                        + " && (!window.jQuery || jQuery.active === 0);"));
    }

    /** Saves a PNG of the page to {@code docs/screenshots/NAME.png} (the {@code flowretry.docs} folder). */
    public Path screenshot(String name) {
        var target = Path.of(System.getProperty("flowretry.docs", "docs"), "screenshots", name + ".png");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
