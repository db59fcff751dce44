package dev.gantry.monitor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.gantry.monitor.FreePort;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.logback.MonitorAppender;
import dev.gantry.monitor.index.IndexKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The Java client and the Logback appender against the real server. */
class ClientIntegrationTest {
  @TempDir
  Path data;

  MonitorService start(int port) {
    return MonitorService.start(MonitorSettings.defaults().withTcpPort(port).withUdpPort(port), data);
  }

  @Test
  void batchingClientSurvivesAServerRestartWithoutLosingEvents() throws Exception {
    int port = FreePort.tcpAndUdp();
    MonitorService first = start(port);
    try (BatchingClient c = BatchingClient.start(TcpClient.connect("127.0.0.1", port), 10_000, 100)) {
      for (int i = 0; i < 250; i++) {
        c.offer(Event.builder().host("app").service("job " + i).metric((long) i).ttl(600).build());
      }
      assertThat(c.flush(Duration.ofSeconds(10))).isTrue();
      first.close();
      for (int i = 250; i < 300; i++) {
        c.offer(Event.builder().host("app").service("job " + i).metric((long) i).ttl(600).build());
      }
      Thread.sleep(300);
      try (MonitorService second = start(port)) {
        assertThat(c.flush(Duration.ofSeconds(20))).isTrue();
        assertThat(c.sent()).isEqualTo(300);
        assertThat(c.dropped()).isZero();
        assertThat(second.engine().call(x -> x.query("host = \"app\"")).get()).hasSize(300);
      }
    }
  }

  @Test
  void udpClientSplitsLargeBatchesIntoDatagrams() throws Exception {
    int port = FreePort.tcpAndUdp();
    try (MonitorService m = start(port); UdpClient udp = UdpClient.to("127.0.0.1", port)) {
      List<Event> many = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        many.add(Event.builder().host("udp-app").service("metric number " + i).description("x".repeat(40)).metric(1.0).build());
      }
      udp.send(many);
      await().atMost(Duration.ofSeconds(10)).until(() -> m.engine().call(x -> x.query("host = \"udp-app\"")).get().size() == 400);
    }
  }

  @Test
  void logbackAppenderSendsLogEvents() throws Exception {
    int port = FreePort.tcpAndUdp();
    try (MonitorService m = start(port)) {
      LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
      MonitorAppender appender = new MonitorAppender();
      appender.setContext(ctx);
      appender.setRemoteHost("127.0.0.1");
      appender.setPort(port);
      appender.setHost("app-host");
      appender.setService("capital log");
      appender.setLevel("WARN");
      appender.start();
      Logger logger = ctx.getLogger("capital.payments");
      logger.addAppender(appender);
      try {
        logger.info("not sent: below the level");
        logger.error("payment failed for order {}", 42, new IllegalStateException("card declined"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
            m.engine().call(x -> x.index().get(new IndexKey("app-host", "capital log"))).get() != null);
        Event e = m.engine().call(x -> x.index().get(new IndexKey("app-host", "capital log"))).get();
        assertThat(e.state()).isEqualTo("critical");
        assertThat(e.description()).startsWith("payment failed for order 42").contains("card declined");
        assertThat(e.attribute("logger")).isEqualTo("capital.payments");
        assertThat(e.tags()).containsExactly("log", "error");
      } finally {
        logger.detachAppender(appender);
        appender.stop();
      }
    }
  }
}
