package dev.gantry.monitor.web;

import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in headless Chromium shows an event sent a moment before, and the firing alert. */
@Tag("integration")
class DashboardSeleniumTest {
  static final String TOKEN = "selenium-token-0123456789";

  @TempDir
  static Path dir;
  @TempDir
  static Path webData;
  static MonitorService monitor;
  static GantryServer web;
  static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withTick(Duration.ofMillis(200)), dir.resolve("data"));
    web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken(TOKEN),
        List.of(monitor.webComponent()));
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (web != null) {
      web.close();
    }
    if (monitor != null) {
      monitor.close();
    }
  }

  @Test
  void theGridShowsAnEventSentAMomentBefore() throws Exception {
    String base = "http://127.0.0.1:" + web.port();
    driver.get(base + "/monitor");
    assertThat(driver.getPageSource()).contains("Sign in with the admin token").doesNotContain("gm-grid");
    driver.get(base + "/login?next=/monitor");
    driver.findElement(By.name("token")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("form button")).click();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.until(d -> d.findElement(By.id("gm-status")).getText().equals("live"));

    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(List.of(
          Event.builder().host("web1").service("cpu user").state("warning").metric(42.5).ttl(300).build(),
          Event.builder().host("web1").service("df-root/percent_bytes-used").metric(97.0).ttl(300).build(),
          Event.builder().host("db1").service("cpu user").state("ok").metric(3.0).ttl(300).build()));
    }
    // the grid re-renders on every update, so each check finds its cell afresh
    wait.ignoring(StaleElementReferenceException.class);
    By web1 = By.cssSelector("#gm-grid td[data-host='web1'][data-service='cpu user']");
    By db1 = By.cssSelector("#gm-grid td[data-host='db1'][data-service='cpu user']");
    wait.until(d -> d.findElement(web1).getText().equals("42.50")
        && d.findElement(web1).getAttribute("class").equals("gm-warning"));
    wait.until(d -> d.findElement(db1).getAttribute("class").equals("gm-ok"));
    // the built-in disk rule fired; the alerts table refreshes every 3 s
    wait.until(d -> d.findElement(By.id("gm-alerts")).getText().contains("disk-full"));
    wait.until(d -> d.findElement(By.id("gm-alerts")).getText().contains("firing")
        && d.findElement(By.id("gm-alerts")).getText().contains("web1"));

    // silence it from the page
    driver.findElement(By.id("gm-silence-query")).sendKeys("host = \"web1\"");
    driver.findElement(By.id("gm-silence-duration")).sendKeys("1h");
    driver.findElement(By.id("gm-silence-comment")).sendKeys("resize");
    driver.findElement(By.cssSelector("#gm-silence-form button")).click();
    wait.until(d -> d.findElement(By.id("gm-silences")).getText().contains("resize"));
    wait.until(d -> d.findElement(By.id("gm-alerts")).getText().contains("(silenced)"));
    Files.write(Path.of("target", "dashboard.png"), driver.getScreenshotAs(OutputType.BYTES));
  }
}
