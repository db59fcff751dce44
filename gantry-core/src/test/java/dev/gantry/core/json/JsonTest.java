package dev.gantry.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Event(String host, Instant time, Duration ttl) {}

  @Test
  void writesTimesAsIsoTextAndReadsThemBack() {
    Event e = new Event("web-1", Instant.parse("2024-05-01T10:00:00Z"), Duration.ofSeconds(30));
    String json = Json.write(e);
    assertThat(json).isEqualTo("{\"host\":\"web-1\",\"time\":\"2024-05-01T10:00:00Z\",\"ttl\":\"PT30S\"}");
    assertThat(Json.read(json, Event.class)).isEqualTo(e);
  }

  @Test
  void ignoresUnknownProperties() {
    assertThat(Json.read("{\"host\":\"a\",\"added-later\":1}", Event.class).host()).isEqualTo("a");
  }

  @Test
  void malformedJsonSaysWhere() {
    assertThatThrownBy(() -> Json.read("{\"host\":\n  oops}", Event.class))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void yamlHasNoDocumentMarker() throws Exception {
    String yaml = Json.yaml().writeValueAsString(Map.of("services", Map.of("app", Map.of("image", "capital/app"))));
    assertThat(yaml).isEqualTo("services:\n  app:\n    image: capital/app\n");
  }

  @Test
  void prettyIndentsWithTheSameSettings() throws Exception {
    Event e = new Event("web-1", Instant.parse("2024-05-01T10:00:00Z"), Duration.ofSeconds(30));
    String json = Json.pretty().writeValueAsString(e);
    assertThat(json).isEqualTo("{\n  \"host\" : \"web-1\",\n  \"time\" : \"2024-05-01T10:00:00Z\",\n  \"ttl\" : \"PT30S\"\n}");
    assertThat(Json.writePretty(e)).isEqualTo(json);
    assertThat(Json.read(json, Event.class)).isEqualTo(e);
  }
}
