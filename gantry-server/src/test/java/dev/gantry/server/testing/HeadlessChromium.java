package dev.gantry.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium and chromedriver for browser tests, with the flags a closed
 * network needs, a fresh profile, and the page's console kept for {@link #consoleErrors}.
 *
 * <pre>{@code
 * WebDriver browser = HeadlessChromium.start(tempDir);
 * browser.get(server.url() + "/ci/stats");
 * assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
 * }</pre>
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Starts the browser with {@code profile} as its user-data-dir; a missing browser is a failure, not a skip. */
  public static WebDriver start(Path profile) {
    return start(profile, Map.of());
  }

  /** As {@link #start(Path)}, the browser running with {@code environment} added (e.g. {@code TZ}). */
  public static WebDriver start(Path profile, Map<String, String> environment) {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("browser tests need " + BINARY + " and " + DRIVER + " (apt-get install chromium chromium-driver)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--window-size=1280,1600", "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().withEnvironment(environment).build();
    return new ChromeDriver(service, options);
  }

  /** Saves what the window shows as a PNG, for looking at after a run (e.g. target/screenshots). */
  public static void screenshot(WebDriver browser, Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + png, e);
    }
  }

  /** The console's errors (uncaught exceptions, failed loads) since the last call. */
  public static List<String> consoleErrors(WebDriver browser) {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }
}
