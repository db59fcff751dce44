package dev.gantry.monitor.rules;

import static dev.gantry.monitor.rules.BuiltinRules.diskFull;
import static dev.gantry.monitor.rules.BuiltinRules.hostDown;
import static dev.gantry.monitor.rules.BuiltinRules.httpErrorRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.monitor.probe.HttpProbe;
import dev.gantry.monitor.stream.Streams;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Monitoring speaks the definition dialect: DefinitionError, the one name rule, no notify(). */
class RulesDialectTest {

  @Test
  void ruleNamesFollowTheNameRule() {
    assertThat(Rule.of("api-rate.5xx_v2", Streams.index()).name()).isEqualTo("api-rate.5xx_v2");
    assertThatThrownBy(() -> Rule.of("api rate", Streams.index())).isInstanceOf(DefinitionError.class)
        .hasMessageStartingWith("invalid rule name 'api rate' (no spaces): use letters, digits");
    assertThatThrownBy(() -> Rule.of("a#b", Streams.index())).hasMessageStartingWith("invalid rule name 'a#b' (no '#')");
    assertThatThrownBy(() -> diskFull(90).named("")).hasMessageStartingWith("invalid rule name '' (it is empty)");
  }

  @Test
  void everyMistakeInMonitoringIsADefinitionError() {
    assertThatThrownBy(() -> diskFull(0)).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> hostDown(Duration.ofSeconds(-1))).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> httpErrorRate(2, Duration.ofMinutes(1))).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> Streams.ewma(0, Streams.index())).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> HttpProbe.get("ftp://x")).isInstanceOf(DefinitionError.class);
    assertThatThrownBy(() -> HttpProbe.get("https://x/").expectStatus(99)).isInstanceOf(DefinitionError.class);
    Infrastructure twice = Infrastructure.of(i -> i.add(Monitoring.rules().rule(diskFull(90)).rule(diskFull(95))));
    assertThatThrownBy(() -> RuleSet.of(twice)).isInstanceOf(DefinitionError.class)
        .hasMessageContaining("monitoring rule 'disk-full' is declared twice");
  }

  @Test
  void monitoringHasNoMethodNamedNotify() {
    // Object.notify() would answer a call with no receivers by throwing IllegalMonitorStateException
    assertThat(Arrays.stream(Monitoring.class.getDeclaredMethods()).map(Method::getName)).doesNotContain("notify");
  }
}
