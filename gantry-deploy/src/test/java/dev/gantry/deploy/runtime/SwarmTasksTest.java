package dev.gantry.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.deploy.docker.ContainerState;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tasks of a stack on other nodes, as the health gate sees them. */
class SwarmTasksTest {
  static final String ME = "nodeM";

  static String task(String id, String node, String desired, String state, String image, String container, String err) {
    return """
        {"ID":"%s","NodeID":"%s","DesiredState":"%s","CreatedAt":"2026-12-02T22:00:00Z",
         "Spec":{"ContainerSpec":{"Image":"%s"}},
         "Status":{"State":"%s","Err":"%s","ContainerStatus":{"ContainerID":"%s"}}}
        """.formatted(id, node, desired, image, state, err, container);
  }

  static List<ContainerState> parse(String... tasks) {
    Map<String, String> names = Map.of("t1", "shop-m_app.1", "t2", "shop-m_app.2", "t3", "shop-m_frontend.1",
        "t4", "shop-m_app.1");
    return SwarmTasks.parse("[" + String.join(",", tasks) + "]", names, "shop-m", ME);
  }

  @Test
  void aRunningTaskOnAnotherNodeCountsAsAHealthyContainer() {
    List<ContainerState> s = parse(task("t2", "nodeW", "running", "running", "reg:5000/app:B@sha256:ab", "c2", ""));
    assertThat(s).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("c2");
      assertThat(c.service()).isEqualTo("app");
      assertThat(c.running()).isTrue();
      assertThat(c.health()).isEqualTo("healthy");
      assertThat(c.image()).isEqualTo("reg:5000/app:B@sha256:ab");
    });
    assertThat(HealthGate.evaluate(s, Map.of("app", "reg:5000/app:B"))).isInstanceOf(HealthGate.Verdict.Healthy.class);
  }

  @Test
  void aTaskStillStartingElsewhereKeepsTheGateWaiting() {
    List<ContainerState> s = parse(task("t2", "nodeW", "running", "starting", "reg:5000/app:B", "c2", ""));
    assertThat(s).singleElement().extracting(ContainerState::health).isEqualTo("starting");
    assertThat(HealthGate.evaluate(s, Map.of("app", "reg:5000/app:B"))).isInstanceOf(HealthGate.Verdict.Waiting.class);
  }

  @Test
  void anOldTaskElsewhereThatStillRunsKeepsTheGateWaitingUntilItStops() {
    List<ContainerState> s = parse(
        task("t2", "nodeW", "running", "running", "reg:5000/app:B", "c2", ""),
        task("t4", "nodeW", "shutdown", "running", "reg:5000/app:A", "c4", ""));
    assertThat(HealthGate.evaluate(s, Map.of("app", "reg:5000/app:B")))
        .isEqualTo(new HealthGate.Verdict.Waiting("app (a task at another image still runs)"));
  }

  @Test
  void aTaskThatCannotBePlacedSaysWhyWhileTheGateWaits() {
    List<ContainerState> s = parse(task("t3", "", "running", "pending", "lab/nginx:1", "",
        "no suitable node (scheduling constraints not satisfied on 2 nodes)"));
    assertThat(HealthGate.evaluate(s, Map.of("frontend", "lab/nginx:1"))).isEqualTo(new HealthGate.Verdict.Waiting(
        "frontend (pending: no suitable node (scheduling constraints not satisfied on 2 nodes))"));
  }

  @Test
  void thisNodesContainersAreLeftToItsOwnEngineAndEndedTasksToHistory() {
    List<ContainerState> s = parse(
        task("t1", ME, "running", "running", "app:B", "c1", ""),
        task("t3", ME, "running", "starting", "nginx", "c3", ""),
        task("t2", "nodeW", "shutdown", "failed", "app:C", "c2", "task: non-zero exit (1): dockerexec: unhealthy container"),
        task("t4", "nodeW", "shutdown", "shutdown", "app:A", "c4", ""));
    assertThat(s).isEmpty();
    assertThat(parse(task("t1", ME, "running", "preparing", "app:B", "", ""))).singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo("preparing"));
  }

  @Test
  void taskNamesGiveTheServiceWithoutStackOrSlot() {
    assertThat(SwarmTasks.serviceOf("shop-m_app.2", "shop-m")).isEqualTo("app");
    assertThat(SwarmTasks.serviceOf("shop-m_agent.x3b0ywuy7m2kn4gb0fyd4h4ht", "shop-m")).isEqualTo("agent");
  }

  @Test
  void unreadableOutputIsAnErrorNamingWhatWasRead() {
    assertThatThrownBy(() -> SwarmTasks.parse("not json", Map.of(), "shop-m", ME))
        .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("reading docker inspect output for tasks");
  }
}
