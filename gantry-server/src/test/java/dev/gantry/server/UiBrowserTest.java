package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.web.Auth;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import dev.gantry.server.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Drives Debian's headless Chromium against the real server: the UI renders, sign-in and sign-out work, times read relative. */
@Tag("integration")
class UiBrowserTest {
  @TempDir static Path data;
  @TempDir static Path profile;
  static GantryServer server;
  static WebDriver browser;
  /** Three minutes before the test started, to the second. */
  static final Instant EARLIER = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(3));

  @BeforeAll
  static void start() {
    WebComponent sample = new WebComponent() {
      @Override
      public Optional<NavItem> nav() {
        return Optional.of(new NavItem("Sample", "/sample"));
      }

      @Override
      public void register(Web web) {
        web.app().get("/sample", ctx -> ctx.html(web.layout().page("Sample", "/sample",
            "<h1 id=\"heading\">Sample</h1><p id=\"who\">" + (web.auth().isAdmin(ctx) ? "admin" : "guest") + "</p>")));
        web.app().get("/times", ctx -> ctx.html(web.layout().page("Times", "/times",
            "<p>pushed <time id=\"pushed\" datetime=\"" + EARLIER + "\">" + EARLIER + "</time></p><div id=\"later\"></div>"
                + "<script>setTimeout(function(){document.getElementById('later').innerHTML="
                + "'<time id=\"added\" datetime=\"" + EARLIER.minus(Duration.ofHours(5)) + "\">raw</time>';},300);</script>"
                + "<p><time id=\"date-only\" datetime=\"2026-12-01T99\">kept as written</time></p>")));
      }
    };
    server = GantryServer.start(ServerSettings.defaults(data).withPort(0), List.of(sample));
    // a zone far from UTC, so the hover text shows the conversion
    browser = HeadlessChromium.start(profile, Map.of("TZ", "Asia/Kolkata"));
  }

  @BeforeEach
  void signedOut() {
    browser.get(server.url() + "/healthz");
    browser.manage().deleteAllCookies();
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
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

  WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
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
    waiting().until(ExpectedConditions.titleIs("Sample · Gantry"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("guest");
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
  }

  @Test
  void signInShowsWhoIsSignedInAndSignOutEndsTheSession() {
    browser.get(server.url() + "/login?next=/sample");
    browser.findElement(By.id("token")).sendKeys("wrong-token");
    browser.findElement(By.cssSelector("form.login button")).click();
    // the refusal is a new page: wait for it, or the old form is searched (and its 401 is logged into the next test)
    assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.error"))).getText())
        .contains("not the admin token");
    assertThat(HeadlessChromium.consoleErrors(browser)).singleElement().asString().contains("/login").contains("401");

    browser.findElement(By.id("token")).sendKeys(server.adminToken().value());
    browser.findElement(By.cssSelector("form.login button")).click();
    waiting().until(ExpectedConditions.titleIs("Sample · Gantry"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin");
    assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("Signed in as admin");
    assertThat(browser.findElements(By.id("login-link"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(server.adminToken().value());
    Cookie session = browser.manage().getCookieNamed(Auth.SESSION_COOKIE);
    assertThat(session.getValue()).isNotEqualTo(server.adminToken().value()).matches("[A-Za-z0-9_-]{43}");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.getExpiry()).isNotNull();

    browser.findElement(By.id("sign-out")).click();
    waiting().until(ExpectedConditions.titleIs("Overview · Gantry"));
    assertThat(browser.findElement(By.id("login-link")).getText()).isEqualTo("Sign in");
    assertThat(browser.manage().getCookieNamed(Auth.SESSION_COOKIE)).isNull();

    // the old cookie, put back, is refused: the session ended on the server
    browser.manage().addCookie(new Cookie.Builder(session.getName(), session.getValue()).path("/").isHttpOnly(true).build());
    browser.get(server.url() + "/sample");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("guest");
    assertThat(browser.findElement(By.id("login-link")).getText()).isEqualTo("Sign in");
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
  }

  @Test
  void timesReadRelativeWithTheExactInstantInTheViewersZoneOnHover() {
    browser.get(server.url() + "/times");
    var pushed = browser.findElement(By.id("pushed"));
    waiting().until(d -> pushed.getText().equals("3 min ago"));
    // 3 minutes before the start, in India (UTC+05:30), to the second
    var local = EARLIER.atZone(java.time.ZoneId.of("Asia/Kolkata"));
    assertThat(pushed.getAttribute("title")).contains(String.valueOf(local.getYear()))
        .contains(String.format("%02d:%02d", local.getHour() % 12 == 0 ? 12 : local.getHour() % 12, local.getMinute()))
        .contains("GMT+5:30");
    // added by a script after the page loaded
    waiting().until(d -> d.findElement(By.id("added")).getText().equals("5 h ago"));
    assertThat(browser.findElement(By.id("added")).getAttribute("title")).contains("GMT+5:30");
    // not an instant: left as the server wrote it
    assertThat(browser.findElement(By.id("date-only")).getText()).isEqualTo("kept as written");
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
  }
}
