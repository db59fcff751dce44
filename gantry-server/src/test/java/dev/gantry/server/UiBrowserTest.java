package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Drives Debian's headless Chromium against the real server: the UI renders and sign-in works. */
@Tag("integration")
class UiBrowserTest {
  @TempDir static Path data;
  @TempDir static Path profile;
  static GantryServer server;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    WebComponent sample = new WebComponent() {
      @Override
      public Optional<NavItem> nav() {
        return Optional.of(new NavItem("Sample", "/sample"));
      }

      @Override
      public void register(Web web) {
        web.app().get("/sample", ctx -> ctx.html(web.layout().page("Sample", "/sample",
            "<h1 id=\"heading\">Sample</h1><p id=\"who\">" + (web.auth().isAdmin(ctx) ? "admin" : "guest") + "</p>")));
      }
    };
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0), List.of(sample));
    browser = headlessChromium(profile);
  }

  /** Debian's chromium and chromedriver, with the flags a closed network needs. */
  static WebDriver headlessChromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  @BeforeEach
  void signedOut() {
    browser.get(server.url() + "/healthz");
    browser.manage().deleteAllCookies();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void overviewRendersWithNavigationAndStyles() {
    browser.get(server.url() + "/");
    assertThat(browser.getTitle()).isEqualTo("Overview · Gantry");
    var link = browser.findElement(By.cssSelector("nav.topnav a[href='/sample']"));
    assertThat(link.getText()).isEqualTo("Sample");
    // the stylesheet was fetched and applied: the nav bar is dark
    assertThat(browser.findElement(By.cssSelector("nav.topnav")).getCssValue("background-color"))
        .isEqualTo("rgba(22, 24, 27, 1)");
    link.click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.titleIs("Sample · Gantry"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("guest");
  }

  @Test
  void signingInWithTheTokenAuthenticatesThePages() {
    browser.get(server.url() + "/login?next=/sample");
    browser.findElement(By.id("token")).sendKeys("wrong-token");
    browser.findElement(By.cssSelector("form.login button")).click();
    assertThat(browser.findElement(By.cssSelector("p.error")).getText()).contains("not the admin token");

    browser.findElement(By.id("token")).sendKeys(server.adminToken().value());
    browser.findElement(By.cssSelector("form.login button")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.titleIs("Sample · Gantry"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin");
    assertThat(browser.getPageSource()).doesNotContain(server.adminToken().value());
  }
}
