package dev.gantry.core.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.definition.DefinitionError;
import org.junit.jupiter.api.Test;

class InfrastructureTest {
  record App(String name) implements Deployable {}

  record Rule(String text) implements Declaration {}

  record Prop(String describe) implements HostProperty {}

  @Test
  void collectsHostsAndDeclarationsInOrder() {
    App app = new App("capital");
    Infrastructure infra = Infrastructure.of(i -> {
      i.host("ci.example.com").with(new Prop("git installed"), new Prop("docker installed"));
      i.host("prod.example.com").address("203.0.113.7").sshPort(2222).user("admin").role("production")
          .runs(i.add(app), "abc123f");
      i.add(new Rule("disk < 90%"));
    });

    assertThat(infra.hosts()).extracting(HostSpec::name).containsExactly("ci.example.com", "prod.example.com");
    HostSpec prod = infra.requireHost("prod.example.com");
    assertThat(prod.address()).isEqualTo("203.0.113.7");
    assertThat(prod.sshPort()).isEqualTo(2222);
    assertThat(prod.deployments()).containsExactly(new Deployment(app, "abc123f"));
    assertThat(infra.requireHost("ci.example.com").address()).isEqualTo("ci.example.com");
    assertThat(infra.requireHost("ci.example.com").properties()).extracting(HostProperty::describe)
        .containsExactly("git installed", "docker installed");
    assertThat(infra.declarations(Rule.class)).containsExactly(new Rule("disk < 90%"));
    assertThat(infra.declarations(Deployable.class)).containsExactly(app);
  }

  @Test
  void aLaterReleaseOfTheSameSystemReplacesTheEarlier() {
    App app = new App("capital");
    Infrastructure infra = Infrastructure.of(i -> i.host("prod").runs(app, "v1").runs(app, "v2"));
    assertThat(infra.requireHost("prod").deployments()).containsExactly(new Deployment(app, "v2"));
  }

  @Test
  void anUnknownHostListsTheKnownOnes() {
    Infrastructure infra = Infrastructure.of(i -> {
      i.host("a");
      i.host("b");
    });
    assertThatThrownBy(() -> infra.requireHost("c")).isInstanceOf(UserError.class).hasMessageContaining("'c'")
        .hasMessageContaining("a, b");
    assertThatThrownBy(() -> Infrastructure.of(i -> {}).requireHost("c")).hasMessageContaining("no hosts");
  }

  @Test
  void badDeclarationsAreRefused() {
    assertThatThrownBy(() -> Infrastructure.of(i -> {
      i.add(new App("capital"));
      i.add(new App("capital"));
    })).hasMessageContaining("'capital' is declared twice");
    assertThatThrownBy(() -> Infrastructure.of(i -> i.host(" "))).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Infrastructure.of(i -> i.host("h").sshPort(70000))).isInstanceOf(DefinitionError.class)
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> Infrastructure.of(i -> i.host("web 1"))).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid host name 'web 1' (no spaces): use letters");
    assertThatThrownBy(() -> Infrastructure.of(i -> i.host("h").runs(new App("s"), " ")))
        .hasMessageContaining("release");
  }
}
