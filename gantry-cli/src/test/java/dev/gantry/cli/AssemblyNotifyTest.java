package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notifier;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.rules.Rule;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The notifiers of notify.* receive every alert, whether the rules are built in or declared by a definition. */
class AssemblyNotifyTest {
  static final Notifier SLACK = new Notifier() {
    @Override
    public CompletableFuture<Delivery> send(Notification notification) {
      return new CompletableFuture<>();
    }

    @Override
    public String describe() {
      return "slack hooks.slack.com";
    }
  };

  @Test
  void withoutADefinitionTheBuiltInRulesGetTheNotifiers() {
    List<Monitoring> m = Assembly.alsoNotifying(List.of(), List.of(SLACK));
    assertThat(m).singleElement().satisfies(d -> {
      assertThat(d.ruleList()).isEmpty();
      assertThat(d.policy().receivers()).hasSize(1);
    });
  }

  @Test
  void everyDeclarationOfADefinitionKeepsItsReceiversAndGetsTheNotifiersToo() {
    Monitoring team = Monitoring.rules().rule(dev.gantry.monitor.rules.BuiltinRules.hostDown(java.time.Duration.ofSeconds(30)))
        .sendTo(dev.gantry.monitor.alert.Receivers.of(SLACK));
    Monitoring receiversOnly = Monitoring.rules();
    List<Monitoring> m = Assembly.alsoNotifying(List.of(team, receiversOnly), List.of(SLACK));
    assertThat(m).hasSize(2);
    assertThat(m.get(0).policy().receivers()).hasSize(2);
    assertThat(m.get(0).ruleList()).extracting(Rule::name).containsExactly("host-down");
    assertThat(m.get(1).policy().receivers()).hasSize(1);
  }

  @Test
  void aDefinitionDeclaringRulesOnlyStillHasTheBuiltInRulesNotifyTheNotifiers() {
    Monitoring team = Monitoring.rules().rule(dev.gantry.monitor.rules.BuiltinRules.hostDown(java.time.Duration.ofSeconds(30)));
    List<Monitoring> m = Assembly.alsoNotifying(List.of(team), List.of(SLACK));
    assertThat(m).hasSize(2);
    assertThat(m.get(0).policy().receivers()).hasSize(1);
    // a declaration of receivers alone is what the built-in rules send to
    assertThat(m.get(1).ruleList()).isEmpty();
    assertThat(m.get(1).policy().receivers()).hasSize(1);
  }

  @Test
  void withoutNotifiersNothingIsAdded() {
    Monitoring team = Monitoring.rules();
    assertThat(Assembly.alsoNotifying(List.of(team), List.of())).singleElement()
        .satisfies(d -> assertThat(d.policy().receivers()).isEmpty());
  }
}
