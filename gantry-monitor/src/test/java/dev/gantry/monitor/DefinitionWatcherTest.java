package dev.gantry.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.rules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules declared in a real infra/Infra.java, compiled at run time and reloaded on change. */
class DefinitionWatcherTest {
  @TempDir
  Path dir;

  static String infra(String body) {
    return """
        import dev.gantry.core.infra.*;
        import dev.gantry.monitor.rules.*;
        import static dev.gantry.monitor.stream.Streams.*;
        import static dev.gantry.monitor.rules.BuiltinRules.*;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            %s
          }
        }
        """.formatted(body);
  }

  void write(Path file, String text, int secondsLater) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  void theDefinitionIsAppliedAndReloadedKeepingWindowState() throws Exception {
    Path src = Files.createDirectories(dir.resolve("infra"));
    Path file = src.resolve("Infra.java");
    write(file, infra("""
        i.add(Monitoring.rules().rule("pairs", where("service = \\"x\\"",
            fixedWindow(2, dev.gantry.monitor.stream.Folds.sum(), with("service", "pair sum", index())))));
        """), 0);
    List<String> errors = new CopyOnWriteArrayList<>();
    try (MonitorService m = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withBuiltinRules(false), dir.resolve("data"));
        DefinitionWatcher w = DefinitionWatcher.start(src, dir.resolve("cache"), m::apply, Duration.ofMillis(200), errors::add);
        TcpClient c = TcpClient.connect("127.0.0.1", m.tcpPort())) {
      assertThat(m.engine().call(x -> x.rules().rules().stream().map(Rule::name).toList()).get()).containsExactly("pairs");
      c.send(List.of(Event.builder().host("h").service("x").metric(1.0).ttl(600).build()));

      // same rule name, output renamed: the half-full window survives the reload
      write(file, infra("""
          i.add(Monitoring.rules().rule("pairs", where("service = \\"x\\"",
              fixedWindow(2, dev.gantry.monitor.stream.Folds.sum(), with("service", "pair total", index())))));
          """), 5);
      await().atMost(Duration.ofSeconds(60)).until(() -> w.applied() == 2);
      c.send(List.of(Event.builder().host("h").service("x").metric(2.0).ttl(600).build()));
      await().atMost(Duration.ofSeconds(30)).until(() -> !c.query("service = \"pair total\"").isEmpty());
      assertThat(c.query("service = \"pair total\"").get(0).metricValue()).isEqualTo(3.0);

      // a broken definition is reported and the rules in force stay
      write(file, infra("i.add(Monitoring.rules().rule(\"pairs\", nope()));"), 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty());
      assertThat(errors.get(0)).contains("Infra.java").contains("nope");
      assertThat(m.engine().call(x -> x.rules().rules().size()).get()).isEqualTo(1);
    }
  }

  @Test
  void aMissingOrBrokenDefinitionAtStartIsAUserError() throws Exception {
    assertThatThrownBy(() -> DefinitionWatcher.start(dir.resolve("nothing"), dir.resolve("cache"), i -> {}, Duration.ofSeconds(1), e -> {}))
        .isInstanceOf(UserError.class).hasMessageContaining("nothing (it does not exist)");
    Path file = dir.resolve("Infra.java");
    write(file, infra("i.add(Monitoring.rules().rule(diskFull(\"ninety\")));"), 0);
    assertThatThrownBy(() -> DefinitionWatcher.start(file, dir.resolve("cache"), i -> {}, Duration.ofSeconds(1), e -> {}))
        .isInstanceOf(UserError.class).hasMessageContaining("Infra.java");
  }
}
