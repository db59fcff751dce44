package dev.gantry.ci.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** An agent whose server is away says so once, with a reason, and once when it is back: not a WARN every second. */
class AgentAwayServerTest {
  @TempDir Path work;

  @Test
  void aServerThatIsAwayIsReportedOnceWithAReasonAndItsReturnOnce() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // nothing listens there once closed
    }
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger log = (Logger) LoggerFactory.getLogger(Agent.class);
    log.addAppender(logged);
    AgentSettings settings = new AgentSettings(URI.create("http://127.0.0.1:" + port), "agent-token-0123456789", "away1", List.of(), 2,
        work, Duration.ofSeconds(1));
    HttpServer back = null;
    try (Agent unused = Agent.start(settings)) {
      Thread.sleep(3500); // three or more failed polls per slot

      List<String> warnings = messages(logged, Level.WARN);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("agent away1: the server at http://127.0.0.1:" + port + " cannot be reached (")
          .doesNotContain("null");

      back = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      back.createContext("/", ex -> {
        sleep(200); // a short long-poll: no work
        ex.sendResponseHeaders(204, -1);
        ex.close();
      });
      back.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> messages(logged, Level.INFO).stream().anyMatch(m -> m.contains("answers again")));
      Thread.sleep(1500);
      assertThat(messages(logged, Level.INFO).stream().filter(m -> m.contains("answers again"))).hasSize(1);
      assertThat(messages(logged, Level.WARN)).hasSize(1);
    } finally {
      log.detachAppender(logged);
      if (back != null) {
        back.stop(0);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> messages(ListAppender<ILoggingEvent> logged, Level level) {
    return List.copyOf(logged.list).stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }
}
