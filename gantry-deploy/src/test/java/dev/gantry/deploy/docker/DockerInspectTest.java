package dev.gantry.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the gate reads from {@code docker inspect}: state, health and when the latest check ran. */
class DockerInspectTest {
  @Test
  void readsTheLatestHealthCheckAndItsStart() {
    String json = """
        [{"Id": "c1", "Created": "2026-12-02T10:00:00Z",
          "Config": {"Image": "capital/app:abc", "Labels": {"com.docker.compose.service": "app", "dev.gantry.service": "app"}},
          "RestartCount": 1,
          "State": {"Status": "running", "ExitCode": 0, "Health": {"Status": "unhealthy", "Log": [
            {"Start": "2026-12-02T10:00:01.1Z", "End": "2026-12-02T10:00:01.2Z", "ExitCode": 0, "Output": "ok"},
            {"Start": "2026-12-02T10:00:03.1Z", "End": "2026-12-02T10:00:03.2Z", "ExitCode": 1, "Output": "HTTP 502\\n"}]}}}]
        """;
    List<ContainerState> states = Docker.parse(json, "com.docker.compose.service");
    assertThat(states).singleElement().satisfies(c -> {
      assertThat(c.service()).isEqualTo("app");
      assertThat(c.health()).isEqualTo("unhealthy");
      assertThat(c.lastHealthOutput()).isEqualTo("HTTP 502");
      assertThat(c.lastHealthCheck()).isEqualTo("2026-12-02T10:00:03.1Z");
      assertThat(c.restartCount()).isEqualTo(1);
    });
  }

  @Test
  void aContainerWithoutACheckHasNoLatestCheck() {
    String json = """
        [{"Id": "c2", "Config": {"Image": "db:1", "Labels": {}}, "State": {"Status": "exited", "ExitCode": 2}}]
        """;
    assertThat(Docker.parse(json, "x")).singleElement().satisfies(c -> {
      assertThat(c.health()).isEmpty();
      assertThat(c.lastHealthCheck()).isEmpty();
      assertThat(c.exitCode()).isEqualTo(2);
    });
  }
}
