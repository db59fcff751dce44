package dev.gantry.host.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spin protocol's JSON, checked against Jackson as the reference reader and writer. */
class WireTest {
  final ObjectMapper jackson = new ObjectMapper();

  @Test
  void requestsSurviveTheRoundTripAndAreStandardJson() throws Exception {
    SpinRequest r = new SpinRequest(1, "web", true, "Infra", Map.of("Infra", "yv66vg=="),
        List.of(new SpinRequest.SecretValue("db", "web", "p\"a\\s\ns\u0001w\u00e9rd")), 30, Map.of("monitor", "10.213.2.2"));
    String json = r.toJson();
    assertThat(SpinRequest.fromJson(json)).isEqualTo(r);
    assertThat(jackson.readTree(json).get("peers").get("monitor").asText()).isEqualTo("10.213.2.2");
    assertThat(jackson.readTree(json).get("secrets").get(0).get("value").asText()).isEqualTo("p\"a\\s\ns\u0001w\u00e9rd");
    assertThat(r.secrets().get(0).toString()).doesNotContain("p\"a");
  }

  @Test
  void eventsOmitUnsetFieldsAndReadJacksonOutput() throws Exception {
    RemoteEvent e = new RemoteEvent.Outcome(3, "file /etc/motd", "WOULD_CHANGE", "update", "--- a\n+++ b\n", 12L);
    assertThat(RemoteEvent.fromJson(e.toJson())).isEqualTo(e);
    assertThat(new RemoteEvent.Done().toJson()).isEqualTo("{\"type\":\"done\"}");
    String fromJackson = jackson.writeValueAsString(Map.of("type", "start", "count", 7, "extra", List.of(1.5, true)));
    assertThat(((RemoteEvent.Start) RemoteEvent.fromJson(fromJackson)).count()).isEqualTo(7);
    assertThat(Wire.parse(" { \"a\" : [ 1 , -2.5e1 , null , \"\\u00e9\\/\" ] } "))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -25.0, null, "\u00e9/")));
  }

  @Test
  void malformedInputNamesTheOffset() {
    assertThatThrownBy(() -> Wire.parse("{\"a\":1,}")).hasMessageContaining("offset 7");
    assertThatThrownBy(() -> Wire.parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
    assertThatThrownBy(() -> Wire.parse("\"open")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> RemoteEvent.fromJson("{}")).hasMessageContaining("no type");
    assertThatThrownBy(() -> SpinRequest.fromJson("[]")).hasMessageContaining("expected a JSON object");
  }
}
