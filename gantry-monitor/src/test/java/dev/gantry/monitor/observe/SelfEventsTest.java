package dev.gantry.monitor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SelfEventsTest {
  static Readings at(long seconds, double tcp, double malformed, double sent, double failed) {
    return new Readings(seconds * 1_000_000_000L, Map.of("tcp", tcp), Map.of("malformed", malformed), sent, failed, 7,
        2100, Map.of("firing", 1L, "pending", 0L), Map.of(0.99, 1.5));
  }

  @Test
  void countersBecomeRatesOverTheIntervalAndGaugesStayAsTheyAre() {
    List<Event> events = SelfEvents.between(at(0, 1000, 0, 0, 0), at(10, 21_000, 5, 2, 1), "mon1", 42_000_000L, 30);
    Map<String, Event> byService = events.stream().collect(Collectors.toMap(Event::service, Function.identity()));
    assertThat(byService.get("gantry monitor received tcp rate").metricValue()).isEqualTo(2000.0);
    assertThat(byService.get("gantry monitor refused malformed rate").metricValue()).isEqualTo(0.5);
    assertThat(byService.get("gantry monitor refused malformed rate").state()).isEqualTo("warning");
    assertThat(byService.get("gantry monitor queue events").metricValue()).isEqualTo(7.0);
    assertThat(byService.get("gantry monitor index size").metricValue()).isEqualTo(2100.0);
    assertThat(byService.get("gantry monitor stream latency 0.99").metricValue()).isEqualTo(1.5);
    assertThat(byService.get("gantry monitor alerts firing").metricValue()).isEqualTo(1.0);
    assertThat(byService.get("gantry monitor notifications sent rate").metricValue()).isEqualTo(0.2);
    assertThat(byService.get("gantry monitor notifications failed rate").state()).isEqualTo("warning");
    assertThat(events).allMatch(e -> e.host().equals("mon1") && e.ttl() == 30f && e.timeMicros() == 42_000_000L
        && e.tagged("gantry"));
  }

  @Test
  void nothingRefusedIsOk() {
    List<Event> events = SelfEvents.between(at(0, 0, 3, 0, 0), at(10, 0, 3, 0, 0), "mon1", 0, 30);
    assertThat(events).filteredOn(e -> e.service().startsWith("gantry monitor refused")).allMatch(e -> e.state().equals("ok")
        && e.metricValue() == 0.0);
  }
}
