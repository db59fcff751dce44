package dev.gantry.monitor.rules;

import static dev.gantry.monitor.rules.BuiltinRules.diskFull;
import static dev.gantry.monitor.rules.BuiltinRules.hostDown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.monitor.alert.Receivers;
import dev.gantry.monitor.probe.HttpProbe;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rules and probes declared in an infrastructure definition. */
class DefinitionTest {
  @Test
  void monitoringIsADeclarationOfTheInfrastructure() {
    Infrastructure infra = Infrastructure.of(i -> {
      i.host("prod.example.com");
      i.add(Monitoring.rules().rule(diskFull(90)).rule(hostDown(Duration.ofMinutes(2)))
          .sendTo(Receivers.webhook(URI.create("http://127.0.0.1:9/hook"))).repeatEvery(Duration.ofHours(2)));
      i.add(HttpProbe.get("https://capital.example.com/health").every(Duration.ofMinutes(1)).expectBody("ok"));
    });
    RuleSet set = RuleSet.of(infra);
    assertThat(set.rules()).extracting(Rule::name).containsExactly("disk-full", "host-down");
    assertThat(set.policies().get("disk-full").repeatInterval()).isEqualTo(Duration.ofHours(2));
    assertThat(set.policies().get("host-down").receivers()).hasSize(1);
    assertThat(infra.declarations(HttpProbe.class)).singleElement()
        .satisfies(p -> assertThat(p.service()).isEqualTo("probe capital.example.com/health"));
  }

  @Test
  void aRuleNameDeclaredTwiceIsAUserError() {
    Infrastructure infra = Infrastructure.of(i -> {
      i.add(Monitoring.rules().rule(diskFull(90)));
      i.add(Monitoring.rules().rule(diskFull(95)));
    });
    assertThatThrownBy(() -> RuleSet.of(infra)).isInstanceOf(UserError.class)
        .hasMessageContaining("'disk-full' is declared twice");
    assertThat(RuleSet.of(Infrastructure.of(i -> {
      i.add(Monitoring.rules().rule(diskFull(90)));
      i.add(Monitoring.rules().rule(diskFull(95).named("disk-full-strict")));
    })).rules()).hasSize(2);
  }

  @Test
  void badRuleArgumentsAreRefused() {
    assertThatThrownBy(() -> diskFull(120)).hasMessageContaining("not a percentage");
    assertThatThrownBy(() -> hostDown(Duration.ofSeconds(-1))).hasMessageContaining("negative");
    assertThatThrownBy(() -> Rule.of("a/b", ctx -> e -> {})).hasMessageContaining("no '/'");
    assertThatThrownBy(() -> HttpProbe.get("ftp://x")).hasMessageContaining("not an http(s) URL");
  }
}
