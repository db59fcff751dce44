package dev.gantry.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A server stopping while dashboards follow the index stops at once, without an error. */
class StopWithSubscribersTest {
  static final String TOKEN = "test-token-0123456789abcdef";

  @TempDir
  Path data;
  @TempDir
  Path webData;

  @Test
  void stoppingWithOpenSseAndWebSocketSubscriptionsLogsNoErrorAndDoesNotWait() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    try (MonitorService monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(-1).withUdpPort(-1), data)) {
      GantryServer web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken(TOKEN),
          List.of(monitor.webComponent()));
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + web.port() + "/index?query=true&subscribe=true"))
          .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TOKEN).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(sse.statusCode()).isEqualTo(200);
      CompletableFuture<Integer> wsClosed = new CompletableFuture<>();
      http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
          .buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/index?query=true&subscribe=true"),
              new WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                  wsClosed.complete(status);
                  return null;
                }
              }).get(5, TimeUnit.SECONDS);

      long start = System.nanoTime();
      web.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).as("no wait for the subscribers").isLessThan(Duration.ofSeconds(2));
      assertThat(wsClosed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
      assertThat(sse.body().readAllBytes()).as("the stream ends").isNotNull();
      assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    } finally {
      root.detachAppender(logged);
    }
  }
}
