package dev.gantry.ci.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ci.api.Json;
import dev.gantry.ci.testing.SeededCi;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/ci/stats/trends} over a seeded history, and the statistics page around it. */
class TrendsApiTest {
  @TempDir static Path root;
  static SeededCi seeded;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    seeded = SeededCi.start(root, Instant.now(), 60, Duration.ofDays(10));
  }

  @AfterAll
  static void stop() {
    if (seeded != null) {
      seeded.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(seeded.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<JsonNode> nonNull(JsonNode values) {
    List<JsonNode> out = new ArrayList<>();
    values.forEach(v -> {
      if (!v.isNull()) {
        out.add(v);
      }
    });
    return out;
  }

  static JsonNode line(JsonNode chart, String label) {
    for (JsonNode l : chart.get("lines")) {
      if (l.get("label").asText().equals(label)) {
        return l.get("values");
      }
    }
    throw new AssertionError("no line " + label + " in " + chart);
  }

  @Test
  void theTrendsCoverTheSeededDaysInTheAskedZone() throws Exception {
    var r = get("/api/ci/stats/trends?days=7&tz=" + URLEncoder.encode("America/New_York", StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode t = Json.MAPPER.readTree(r.body());
    assertThat(t.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(t.get("days")).hasSize(7);
    assertThat(nonNull(line(t.get("timeToMerge"), "median"))).as(r.body()).hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(v -> assertThat(v.asDouble()).isPositive());
    assertThat(nonNull(line(t.get("queueWait"), "run waits for an agent (median)"))).isNotEmpty();
    assertThat(t.get("stepDurations").get("lines")).extracting(l -> l.get("label").asText())
        .contains("compile", "test", "lint", "prepare");
    assertThat(nonNull(line(t.get("rates"), "failed"))).isNotEmpty();
    assertThat(t.get("agentUse").get("lines")).extracting(l -> l.get("label").asText())
        .containsExactlyInAnyOrderElementsOf(SeededCi.AGENTS);
    // without parameters: 30 days in UTC
    JsonNode defaults = Json.MAPPER.readTree(get("/api/ci/stats/trends").body());
    assertThat(defaults.get("days")).hasSize(30);
    assertThat(defaults.get("zone").asText()).isEqualTo("Z");
  }

  @Test
  void badParametersAreClearErrors() throws Exception {
    var days = get("/api/ci/stats/trends?days=0");
    assertThat(days.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(days.body()).get("error").asText()).isEqualTo("days: give a whole number from 1 to 366, got '0'");
    var tz = get("/api/ci/stats/trends?tz=Mars%2FOlympus");
    assertThat(tz.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(tz.body()).get("error").asText()).contains("'Mars/Olympus' is not a time zone");
    var page = get("/ci/stats?days=lots");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("days: give a whole number from 1 to 366, got &#39;lots&#39;").doesNotContain("Exception");
  }

  @Test
  void theStatisticsPageLoadsTheChartsAndKeepsItsTables() throws Exception {
    String page = get("/ci/stats?days=7").body();
    assertThat(page).contains("<script src=\"/assets/vendor/uplot/uPlot.iife.min.js\" defer></script>")
        .contains("<script src=\"/assets/ci/stats.js\" defer></script>")
        .contains("id=\"ci-charts\" class=\"charts\" data-days=\"7\"")
        .contains("data-chart=\"timeToMerge\"").contains("data-chart=\"agentUse\"")
        .contains("Slowest steps").contains("Most failing steps");
    assertThat(get("/assets/ci/stats.js").statusCode()).isEqualTo(200);
  }

  @Test
  void aRejectedPatchKeepsTheTrailThatSingledItOut() throws Exception {
    // every sixth seeded patch breaks compile
    String page = get("/ci/patches/6").body();
    assertThat(page).contains("ci-rejected").contains("Why it was rejected").contains("<ol class=\"ci-trail\">")
        .contains("adding #6 makes it fail");
  }

  @Test
  void timesOnTheQueuePageAreTimeElements() throws Exception {
    assertThat(get("/ci").body()).containsPattern("<time datetime=\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC</time>");
  }
}
