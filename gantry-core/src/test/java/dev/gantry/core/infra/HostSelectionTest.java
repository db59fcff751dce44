package dev.gantry.core.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostSelectionTest {
  final Infrastructure infra = Infrastructure.of(i -> {
    i.host("web1").role("production").tags("eu", "web");
    i.host("web2").role("production").tags("us", "web");
    i.host("db1").role("production").tags("eu");
    i.host("staging").role("staging").tags("eu", "web");
    i.host("ci").role("ci");
  });

  List<String> select(HostSelection s) {
    return s.select(infra).stream().map(HostSpec::name).toList();
  }

  @Test
  void aRoleSelectsExactlyItsHostsInTheDefinitionsOrder() {
    assertThat(select(new HostSelection(List.of(), List.of("production"), List.of(), false)))
        .containsExactly("web1", "web2", "db1");
    assertThat(select(new HostSelection(List.of(), List.of("staging", "ci"), List.of(), false)))
        .containsExactly("staging", "ci");
  }

  @Test
  void tagsPatternsNamesAndAllAddUpWithoutRepeats() {
    assertThat(select(new HostSelection(List.of(), List.of(), List.of("web"), false)))
        .containsExactly("web1", "web2", "staging");
    assertThat(select(HostSelection.of(List.of("web*")))).containsExactly("web1", "web2");
    assertThat(select(HostSelection.of(List.of("web?", "db1", "web1")))).containsExactly("web1", "web2", "db1");
    assertThat(select(HostSelection.of(List.of("web[2-9]")))).containsExactly("web2");
    assertThat(select(HostSelection.of(List.of("*[!0-9]")))).containsExactly("staging", "ci");
    assertThat(select(new HostSelection(List.of("ci"), List.of(), List.of("us"), false))).containsExactly("web2", "ci");
    assertThat(select(new HostSelection(List.of(), List.of(), List.of(), true)))
        .containsExactly("web1", "web2", "db1", "staging", "ci");
  }

  @Test
  void aSelectorThatMatchesNothingIsAnErrorNamingWhatExists() {
    assertThatThrownBy(() -> select(new HostSelection(List.of(), List.of("prod"), List.of(), false)))
        .isInstanceOf(UserError.class)
        .hasMessage("no host has the role 'prod'; roles in the definition: production, staging, ci");
    assertThatThrownBy(() -> select(new HostSelection(List.of(), List.of(), List.of("asia"), false)))
        .isInstanceOf(UserError.class).hasMessage("no host has the tag 'asia'; tags in the definition: eu, web, us");
    assertThatThrownBy(() -> select(HostSelection.of(List.of("app*"))))
        .isInstanceOf(UserError.class)
        .hasMessage("no host matches 'app*'; the definition declares: web1, web2, db1, staging, ci");
    assertThatThrownBy(() -> select(HostSelection.of(List.of("web3"))))
        .isInstanceOf(UserError.class).hasMessageStartingWith("unknown host 'web3'");
    assertThatThrownBy(() -> select(HostSelection.of(List.of("web[1"))))
        .isInstanceOf(UserError.class).hasMessage("host pattern 'web[1': '[' at 4 has no closing ']'");
    assertThatThrownBy(() -> select(HostSelection.of(List.of("web[(]"))))
        .isInstanceOf(UserError.class).hasMessageContaining("may hold only letters");
    assertThatThrownBy(() -> select(HostSelection.of(List.of())))
        .isInstanceOf(UserError.class).hasMessageContaining("--role ROLE, --tag TAG or --all");
  }

  @Test
  void aBadTagIsADefinitionError() {
    assertThatThrownBy(() -> Infrastructure.of(i -> i.host("a").tags("bad tag")))
        .hasMessage("host 'a': tag 'bad tag' must be letters, digits, '.', '_' or '-'");
  }
}
