package dev.gantry.ci.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.testing.SeededCi;
import dev.gantry.server.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The CI pages in headless Chromium over a seeded history: the statistics charts draw, times read relative. */
@Tag("integration")
class StatsBrowserTest {
  @TempDir static Path root;
  @TempDir static Path profile;
  static SeededCi seeded;
  static WebDriver browser;

  @BeforeAll
  static void start() {
    seeded = SeededCi.start(root, Instant.now(), 60, Duration.ofDays(10));
    browser = HeadlessChromium.start(profile, Map.of("TZ", "America/New_York"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (seeded != null) {
      seeded.close();
    }
  }

  @BeforeEach
  void forgetEarlierConsoleMessages() {
    HeadlessChromium.consoleErrors(browser);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @Test
  void theStatisticsPageDrawsEveryTrendChart() {
    browser.get(seeded.url() + "/ci/stats?days=14");
    waiting().until(d -> "5".equals(d.findElement(By.id("ci-charts")).getAttribute("data-drawn")));
    List<WebElement> charts = browser.findElements(By.cssSelector("#ci-charts .ci-chart"));
    assertThat(charts).hasSize(5);
    for (WebElement chart : charts) {
      String name = chart.getAttribute("data-chart");
      assertThat(chart.findElements(By.cssSelector(".uplot canvas"))).as(name).hasSize(1);
      WebElement canvas = chart.findElement(By.cssSelector(".uplot canvas"));
      assertThat(canvas.getSize().getWidth()).as(name).isGreaterThan(250);
      assertThat(canvas.getSize().getHeight()).as(name).isGreaterThan(100);
    }
    // the legends name the lines the JSON gave
    assertThat(browser.findElement(By.id("chart-agentUse")).findElement(By.cssSelector(".u-legend")).getText())
        .contains("agent-a").contains("agent-b");
    assertThat(browser.findElement(By.id("chart-stepDurations")).findElement(By.cssSelector(".u-legend")).getText())
        .contains("compile").contains("test").contains("lint");
    assertThat(browser.findElement(By.id("chart-timeToMerge")).findElement(By.cssSelector(".ci-chart-note")).getText())
        .as("merges were seeded").isEmpty();
    // the days are cut in the viewer's zone
    assertThat(browser.findElement(By.id("ci-charts-status")).getText()).isEqualTo("Days in America/New_York.");
    // something was drawn: the time-to-merge canvas is not blank
    Object painted = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "var c=document.querySelector('#chart-timeToMerge canvas');var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;"
            + "var n=0;for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;}return n;");
    assertThat(((Number) painted).longValue()).isGreaterThan(500);
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
    HeadlessChromium.screenshot(browser, Path.of("target/screenshots/ci-stats.png"));
    // a window too narrow for two columns: the charts take the whole width
    int half = browser.findElement(By.cssSelector("#chart-rates canvas")).getSize().getWidth();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 1600));
    waiting().until(d -> d.findElement(By.cssSelector("#chart-rates canvas")).getSize().getWidth() > half + 200);
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));
    // the tables are still there
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("Slowest steps").contains("Most failing steps");
  }

  @Test
  void queueTimesReadRelativeWithTheExactInstantOnHover() {
    browser.get(seeded.url() + "/ci");
    WebElement first = browser.findElement(By.cssSelector("table.ci-table time[datetime]"));
    waiting().until(d -> first.getText().endsWith(" ago"));
    assertThat(first.getText()).matches("\\d+ (days|h|min) ago");
    assertThat(first.getAttribute("title")).matches(".*\\d{4}.*\\d\\d:\\d\\d:\\d\\d.*").containsPattern("EST|EDT|GMT-[45]");
    assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
  }

  @Test
  void aBadSpanIsAClearErrorPage() {
    browser.get(seeded.url() + "/ci/stats?days=9999");
    assertThat(browser.findElement(By.cssSelector("main .ci-error")).getText())
        .isEqualTo("days: give a whole number from 1 to 366, got '9999'");
  }
}
