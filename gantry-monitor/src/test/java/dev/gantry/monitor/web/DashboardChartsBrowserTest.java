package dev.gantry.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium with events of every state: the cells' colours, the
 * headers grouped by collectd plugin, a chart of a chosen series drawn from the history and
 * growing with a live event, a query's chart, and the event rates per host. Leaves
 * target/screenshots/monitor.png (docs/monitor.png is taken from it).
 */
@Tag("integration")
class DashboardChartsBrowserTest {
  static final String TOKEN = "charts-token-0123456789";
  static final String CPU = "cpu-0/cpu-user";

  @TempDir static Path data;
  @TempDir static Path webData;
  @TempDir static Path profile;
  static MonitorService monitor;
  static GantryServer web;
  static WebDriver browser;

  @BeforeAll
  static void start() {
    // a long tick: the monitor does not expire the stale event while the page shows it as stale
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withTick(Duration.ofMinutes(30)), data);
    web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken(TOKEN),
        List.of(monitor.webComponent()));
    browser = HeadlessChromium.start(profile);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (web != null) {
      web.close();
    }
    if (monitor != null) {
      monitor.close();
    }
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  static String cell(String host, String service) {
    return "#gm-grid td[data-host='" + host + "'][data-service='" + service + "']";
  }

  static String background(String host, String service) {
    return (String) js("var c=document.querySelector(arguments[0]);return c?getComputedStyle(c).backgroundColor:null;",
        cell(host, service));
  }

  /** The texts of the elements {@code selector} finds, read at once (the grid is redrawn on every event). */
  @SuppressWarnings("unchecked")
  static List<String> texts(String selector) {
    return (List<String>) js("return Array.from(document.querySelectorAll(arguments[0])).map(function(e){return e.textContent;});", selector);
  }

  static long paintedPixels(String canvasSelector) {
    return ((Number) js("var c=document.querySelector(arguments[0]);var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;"
        + "var n=0;for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;}return n;", canvasSelector)).longValue();
  }

  static long chartPoints(int series) {
    return ((Number) js("var u=window.gantryMonitor.chart;return u?u.data[arguments[0]].filter(function(v){return v!=null;}).length:-1;",
        series)).longValue();
  }

  static void send(List<Event> events) throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(events);
    }
  }

  static Event.Builder event(String host, String service) {
    return Event.builder().host(host).service(service).ttl(300);
  }

  /** Signs in (once) and waits for the dashboard's stream. */
  static WebDriverWait openDashboard() {
    browser.get("http://127.0.0.1:" + web.port() + "/monitor");
    if (browser.findElements(By.id("gm-grid")).isEmpty()) {
      browser.get("http://127.0.0.1:" + web.port() + "/login?next=/monitor");
      browser.findElement(By.name("token")).sendKeys(TOKEN);
      browser.findElement(By.cssSelector("form.login button")).click();
    }
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(d -> d.findElement(By.id("gm-status")).getText().equals("live"));
    return wait;
  }

  @Test
  void cellsShowTheirStateAndAChartDrawsTheSeriesAndGrowsLive() throws Exception {
    WebDriverWait wait = openDashboard();

    // an hour of CPU for web1 at its own resolution (every 50 s), then one event of each state
    Instant now = Instant.now();
    List<Event> history = new ArrayList<>();
    for (int i = 59; i >= 0; i--) {
      history.add(event("web1", CPU).state("ok").time(now.minusSeconds(50L * i).minusSeconds(5))
          .metric(20 + 15 * Math.sin(i / 6.0) + (i % 7)).build());
    }
    send(history);
    send(List.of(
        event("web1", "load/load-shortterm").state("warning").metric(2.5).build(),
        event("web1", "df-root/percent_bytes-used").state("ok").metric(41.0).build(),
        event("db1", "df-root/percent_bytes-used").state("critical").metric(97.0).build(),
        event("db1", CPU).state("ok").metric(12.0).build(),
        event("db1", "memory/memory-used").state("ok").metric(1.2e9).build(),
        event("db1", "load/load-shortterm").state("ok").metric(0.4).build(),
        // no event within its TTL: stale
        event("web2", CPU).state("ok").metric(55.0).time(now.minusSeconds(120)).ttl(60).build(),
        event("web2", "load/load-shortterm").state("ok").metric(0.9).build(),
        event("web2", "http requests").state("ok").metric(31L).build(),
        // sent without a TTL: the monitor's default (60 s) applies
        Event.builder().host("db1").service("ntp/offset").state("ok").metric(0.002).time(now.minusSeconds(90)).build()));
    // the monitor said the memory figure expired (as its reaper does after the TTL)
    send(List.of(event("db1", "memory/memory-used").state("expired").build()));

    wait.until(d -> "rgb(255, 180, 169)".equals(background("db1", "df-root/percent_bytes-used")));
    wait.until(d -> "rgb(221, 221, 221)".equals(background("db1", "memory/memory-used")));
    wait.until(d -> "rgb(230, 220, 242)".equals(background("web2", CPU)));
    assertThat(background("web1", CPU)).isEqualTo("rgb(200, 230, 201)");
    assertThat(background("web1", "load/load-shortterm")).isEqualTo("rgb(255, 243, 176)");
    assertThat(background("web2", "load/load-shortterm")).isEqualTo("rgb(200, 230, 201)");
    assertThat(background("db1", "ntp/offset")).isEqualTo("rgb(230, 220, 242)");
    assertThat(js("return document.querySelector(arguments[0]).dataset.state;", cell("web2", CPU))).isEqualTo("stale");
    // the expired cell keeps its last value, greyed
    assertThat(js("return document.querySelector(arguments[0]).textContent;", cell("db1", "memory/memory-used")))
        .isEqualTo("1200000000");
    assertThat(browser.findElement(By.id("gm-legend")).getText())
        .contains("ok", "warning", "critical", "expired", "stale");

    // headers: grouped by plugin, the rest wrapped, nothing rotated or clipped
    assertThat(texts("#gm-grid th.gm-plugin")).containsExactly("cpu-0", "df-root", "load", "memory", "ntp");
    assertThat(texts("#gm-grid th.gm-svc")).contains("cpu-user", "percent_bytes-used", "http requests");
    Object clipped = js("return Array.from(document.querySelectorAll('#gm-grid th')).filter(function(th){"
        + "var s=getComputedStyle(th);return s.transform!=='none'||s.writingMode!=='horizontal-tb'||th.scrollWidth>th.clientWidth+1"
        + "||th.scrollHeight>th.clientHeight+1;}).map(function(th){return th.textContent;});");
    assertThat((List<?>) clipped).isEmpty();

    // a query's chart: one line per matching series
    browser.findElement(By.id("gm-chart-query")).sendKeys("service = \"" + CPU + "\"");
    browser.findElement(By.cssSelector("#gm-chart-form button")).click();
    wait.until(d -> "62".equals(d.findElement(By.id("gm-chart")).getAttribute("data-points")));
    assertThat(((Number) js("return window.gantryMonitor.chart.series.length;")).intValue()).isEqualTo(4);
    assertThat(browser.findElement(By.cssSelector("#gm-chart .u-legend")).getText()).contains("db1 " + CPU, "web1 " + CPU, "web2 " + CPU);

    // a cell's chart: the hour of web1's CPU
    js("document.querySelector(arguments[0]).click();", cell("web1", CPU));
    wait.until(d -> d.findElement(By.id("gm-chart-title")).getText().equals("web1 · " + CPU)
        && "60".equals(d.findElement(By.id("gm-chart")).getAttribute("data-points")));
    assertThat(chartPoints(1)).isEqualTo(60);
    assertThat(browser.findElement(By.cssSelector("#gm-chart .uplot canvas")).getSize().getWidth()).isGreaterThan(600);
    assertThat(paintedPixels("#gm-chart canvas")).isGreaterThan(1000);

    // a live event over the page's stream adds a point
    send(List.of(event("web1", CPU).state("ok").metric(44.0).build()));
    wait.until(d -> chartPoints(1) == 61);
    assertThat(((Number) js("var u=window.gantryMonitor.chart;return u.data[1][u.data[1].length-1];")).doubleValue())
        .isEqualTo(44.0);
    wait.until(d -> "44".equals(js("return document.querySelector(arguments[0]).textContent;", cell("web1", CPU))));

    // events per second per host, once a 10 s bucket is complete
    wait.until(d -> texts("#gm-rates .gm-rate-host").containsAll(List.of("db1", "web1", "web2")));
    assertThat(paintedPixels("#gm-rates .gm-rate[data-host='web1'] canvas")).isGreaterThan(50);

    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
    js("window.scrollTo(0,0);");
    HeadlessChromium.screenshot(browser, Path.of("target/screenshots/monitor.png"));
  }

  @Test
  void aBadChartQuerySaysWhatIsWrongOnThePage() {
    WebDriverWait wait = openDashboard();
    browser.findElement(By.id("gm-chart-query")).sendKeys("service =");
    browser.findElement(By.cssSelector("#gm-chart-form button")).click();
    wait.until(d -> d.findElement(By.id("gm-chart-error")).getText().startsWith("history: query column"));
    HeadlessChromium.consoleErrors(browser); // the 400 is logged by the browser, as it should be
  }
}
