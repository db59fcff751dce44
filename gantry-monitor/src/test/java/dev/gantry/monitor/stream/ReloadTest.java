package dev.gantry.monitor.stream;

import static dev.gantry.monitor.stream.Streams.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.rules.Monitoring;
import dev.gantry.monitor.testing.RuleHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload rebuilds the rules; windows and partitions of rules that keep their name survive. */
class ReloadTest {
  @Test
  void windowStateSurvivesAReloadAndDroppedRulesForgetTheirs() {
    List<Event> before = new ArrayList<>();
    List<Event> after = new ArrayList<>();
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule("sum", byHost(Duration.ofHours(1), fixedWindow(4, Folds.sum(), sink(before::add)))));
    h.send(h.event().host("a").metric(1.0).build(), h.event().host("a").metric(2.0).build());
    // a new definition of the same rule: the half-full window keeps its two events
    h.reload(Monitoring.rules().rule("sum", byHost(Duration.ofHours(1), fixedWindow(4, Folds.sum(), sink(after::add)))));
    h.send(h.event().host("a").metric(3.0).build(), h.event().host("a").metric(4.0).build());
    assertThat(before).isEmpty();
    assertThat(after).extracting(Event::metricValue).containsExactly(10.0);
    // renamed: starts empty
    h.reload(Monitoring.rules().rule("sum2", byHost(Duration.ofHours(1), fixedWindow(2, Folds.sum(), sink(after::add)))));
    h.send(h.event().host("a").metric(5.0).build());
    assertThat(after).hasSize(1);
    h.reload(Monitoring.rules().rule("sum", byHost(Duration.ofHours(1), fixedWindow(2, Folds.sum(), sink(after::add)))));
    h.send(h.event().host("a").metric(1.0).build());
    assertThat(after).as("the removed rule's state was dropped").hasSize(1);
  }

  @Test
  void theIndexSurvivesAReload() {
    RuleHarness h = RuleHarness.of(Monitoring.rules().rule("r", where("true")));
    h.send(h.event().host("a").service("s").build());
    h.reload(Monitoring.rules().rule("other", where("false")));
    assertThat(h.query("host = \"a\"")).hasSize(1);
  }
}
