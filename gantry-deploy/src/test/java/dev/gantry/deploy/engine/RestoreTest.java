package dev.gantry.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.testing.InterceptingTarget;
import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.Systems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `backup restore` never leaves production down: bad input is refused before anything stops,
 * the data it overwrites is backed up first, and a failure after stopping starts the system
 * again and says so. Real Docker Engine and docker-compose.
 */
@Tag("integration")
class RestoreTest {
  Sandbox sb;
  DeployEngine engine;
  HostTarget prod;
  ComposeRuntime compose;
  GantrySystem system;

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    engine = sb.engine();
    prod = sb.host("prod");
    compose = ComposeRuntime.detect(new Docker(sb.exec));
    system = Systems.capital(1, Systems.freePort());
    assertThat(engine.deploy(system, prod, Release.parse("A", system), compose).ok()).isTrue();
  }

  @AfterEach
  void tearDown() {
    sb.close();
  }

  Path events() {
    return Path.of(new Docker(sb.exec).mountpoint(engine.layout(system, prod).volumeName("events")));
  }

  List<String> running() {
    return compose.states(engine.layout(system, prod)).stream().filter(ContainerState::running).map(ContainerState::id).toList();
  }

  @Test
  void anUnknownVolumeIsRefusedBeforeAnythingStops() {
    Backup b = engine.backupNow(system, prod);
    List<String> before = running();
    assertThatThrownBy(() -> engine.restore(system, prod, compose, b.id(), List.of("nosuch")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("refusing to restore (nothing was stopped)")
        .hasMessageContaining("declares no volume 'nosuch' (it declares: dbdata, events)");
    assertThat(running()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aRestoreBacksUpTheDataItOverwritesSoItCanBeUndone() throws Exception {
    Files.writeString(events().resolve("state"), "old\n");
    Backup old = engine.backupNow(system, prod);
    Files.writeString(events().resolve("state"), "today\n");
    String said = engine.restore(system, prod, compose, old.id(), List.of("events"));
    assertThat(Files.readString(events().resolve("state"))).isEqualTo("old\n");
    String undo = said.replaceAll("(?s).*the data before the restore is in backup (\\S+) .*", "$1");
    assertThat(undo).isNotEqualTo(old.id());
    engine.restore(system, prod, compose, undo, List.of("events"));
    assertThat(Files.readString(events().resolve("state"))).isEqualTo("today\n");
    assertThat(said).contains("capital is healthy again");
  }

  @Test
  void aFailureAfterStoppingPutsTheDataBackAndStartsTheSystemAgain() throws Exception {
    Files.writeString(events().resolve("state"), "today\n");
    Backup b = engine.backupNow(system, prod);
    HostTarget flaky = new HostTarget(prod.name(), prod.role(), prod.address(), InterceptingTarget.failing(sb.exec,
        argv -> argv.get(0).equals("tar") && argv.contains("-xzf") && String.join(" ", argv).contains("/" + b.id() + "/"),
        "tar: write error: No space left on device"),
        prod.root(), prod.prefix());
    assertThatThrownBy(() -> engine.restore(system, flaky, compose, b.id(), List.of("events")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("restoring " + b.id() + " failed")
        .hasMessageContaining("the volumes were put back as they were and capital serves again");
    assertThat(Files.readString(events().resolve("state"))).isEqualTo("today\n");
    assertThat(compose.states(engine.layout(system, prod))).filteredOn(c -> c.service().equals("app"))
        .allSatisfy(c -> assertThat(c.running()).isTrue());
  }
}
