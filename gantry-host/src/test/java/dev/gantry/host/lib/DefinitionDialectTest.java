package dev.gantry.host.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.SecretRef;
import org.junit.jupiter.api.Test;

/** Host properties speak the definition dialect: DefinitionError and the one name rule. */
class DefinitionDialectTest {

  @Test
  void namesOfPropertiesFollowTheNameRule() {
    assertThat(Apt.source("docker.list-2", "deb http://deb.example/ bookworm main")).isNotNull();
    assertThat(Nginx.site("shop.example.com", "server {}")).isNotNull();
    assertThat(Props.once("initial-backup.v2", Cmd.run("x", "true"))).isNotNull();
    assertThat(SecretRef.of("db-password", "prod.example.com").field()).isEqualTo("db-password");

    assertThatThrownBy(() -> Apt.source("my source", "deb x")).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid apt source name 'my source' (no spaces): use letters, digits");
    assertThatThrownBy(() -> Nginx.site("../shop", "server {}")).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid nginx site name '../shop' (no '/')");
    assertThatThrownBy(() -> Props.once("-x", Cmd.run("x", "true"))).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid run-once flag name '-x' (it starts with '-')");
    assertThatThrownBy(() -> SecretRef.of("a b", "any")).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("vault field 'a b' is not valid (no spaces): use letters, digits");
  }

  @Test
  void cronJobNamesAlsoHaveNoDotForCron() {
    assertThat(Cron.job("nightly-backup_2", "@daily", "root", "true")).isNotNull();
    assertThatThrownBy(() -> Cron.job("bad.name", "@daily", "root", "true")).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid cron job name 'bad.name' (no '.'): use letters, digits, '_' or '-'");
    assertThatThrownBy(() -> Cron.job("bad name", "@daily", "root", "true"))
        .hasMessageStartingWith("invalid cron job name 'bad name' (no spaces)");
  }

  @Test
  void everyMistakeInAPropertyIsADefinitionError() {
    assertThatThrownBy(() -> Swap.file("relative", 10)).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Hostname.is("not a host")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Locale.defaultIs("english")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Timezone.is("Asia Singapore")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Nftables.allowingTcp(0)).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Sysctl.set("vm", "1")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Apt.installed("Bad Name")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> User.exists("Not A User")).isInstanceOf(DefinitionError.class);
  }
}
