package dev.gantry.monitor.web;

import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerSettings;
import java.nio.file.Files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API, WebSocket and SSE, each behind the admin token. */
class MonitorWebTest {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path data;
  @TempDir
  static Path webData;
  static MonitorService monitor;
  static GantryServer web;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withTick(Duration.ofMillis(100)), data);
    web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken(TOKEN),
        List.of(monitor.webComponent()));
  }

  @AfterAll
  static void stop() {
    web.close();
    monitor.close();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  static HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder authed(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN);
  }

  @Test
  void postEventsNeedsTheTokenAndAcceptsNdjson() throws Exception {
    String body = """
        {"host":"api1","service":"jobs","metric":3,"state":"ok","tags":["app"],"ttl":300,"region":"sgp1"}
        {"host":"api1","service":"latency","metric":12.5,"time":"2024-01-01T00:00:00Z","ttl":300}
        """;
    assertThat(send(HttpRequest.newBuilder(uri("/events")).POST(HttpRequest.BodyPublishers.ofString(body))).statusCode())
        .isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/events")).header("Authorization", "Bearer wrong-token-000000000")
        .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(401);
    HttpResponse<String> ok = send(authed("/events").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"accepted\":2}");
    JsonNode found = JSON.readTree(send(authed("/monitor/api/events?query=" + enc("host = \"api1\" and service = \"jobs\""))).body());
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("metric").asLong()).isEqualTo(3);
    assertThat(found.get(0).get("region").asText()).isEqualTo("sgp1");
    assertThat(found.get(0).get("tags").get(0).asText()).isEqualTo("app");
  }

  @Test
  void badEventsAreRefusedNamingTheLine() throws Exception {
    String body = "{\"host\":\"a\",\"service\":\"b\"}\n{\"host\":\"a\",\"metric\":\"lots\"}\n";
    HttpResponse<String> r = send(authed("/events").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("line 2: metric must be a number");
    assertThat(send(authed("/events").POST(HttpRequest.BodyPublishers.ofString("{nope"))).body()).contains("line 1: not JSON");
    assertThat(send(authed("/events").POST(HttpRequest.BodyPublishers.ofString("[1]"))).body())
        .contains("line 1: an event must be a JSON object");
    assertThat(send(authed("/monitor/api/events?query=" + enc("host ="))).body()).contains("expected a value");
  }

  @Test
  void readingNeedsTheTokenToo() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/monitor/api/events"))).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/monitor/api/alerts"))).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/monitor"))).statusCode()).isEqualTo(401);
    HttpResponse<String> idx = send(HttpRequest.newBuilder(uri("/index?query=true")));
    assertThat(idx.statusCode()).as(idx.headers() + " " + idx.body()).isEqualTo(401);
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/monitor")).header("Cookie", "gantry_token=" + TOKEN));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Hosts × services").doesNotContain(TOKEN);
  }

  @Test
  void theHistoryOfASeriesOrOfAQueryIsServedForCharts() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(List.of(
          Event.builder().host("hist1").service("cpu user").metric(10.0).time(now.minusSeconds(20)).ttl(300).build(),
          Event.builder().host("hist1").service("cpu user").metric(12.5).time(now.minusSeconds(10)).ttl(300).build(),
          Event.builder().host("hist1").service("cpu user").metric(11L).time(now).ttl(300).build(),
          Event.builder().host("hist2").service("cpu user").metric(40L).time(now).ttl(300).build(),
          Event.builder().host("hist2").service("state only").state("ok").time(now).ttl(300).build()));
    }
    assertThat(send(HttpRequest.newBuilder(uri("/monitor/api/history?host=hist1&service=cpu"))).statusCode()).isEqualTo(401);
    JsonNode one = JSON.readTree(send(authed("/monitor/api/history?host=hist1&service=" + enc("cpu user"))).body());
    assertThat(one.get("windowSeconds").asLong()).isEqualTo(3600);
    assertThat(one.get("series")).hasSize(1);
    JsonNode series = one.get("series").get(0);
    assertThat(series.get("host").asText()).isEqualTo("hist1");
    assertThat(series.get("service").asText()).isEqualTo("cpu user");
    assertThat(series.get("values").toString()).isEqualTo("[10.0,12.5,11.0]");
    assertThat(series.get("times").get(2).asDouble()).isCloseTo(now.toEpochMilli() / 1000.0, org.assertj.core.data.Offset.offset(0.001));

    JsonNode query = JSON.readTree(send(authed("/monitor/api/history?query=" + enc("host =~ \"hist%\""))).body());
    assertThat(query.get("truncated").asBoolean()).isFalse();
    assertThat(query.get("series").findValuesAsText("host")).containsExactly("hist1", "hist2");
    // an event without a metric has no history; an unknown series has none either
    assertThat(send(authed("/monitor/api/history?host=hist2&service=" + enc("state only"))).body()).contains("\"series\":[]");
    assertThat(send(authed("/monitor/api/history?host=nowhere&service=cpu")).body()).contains("\"series\":[]");
  }

  @Test
  void badHistoryParametersAreRefusedSayingWhatToGive() throws Exception {
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("", "history: give host and service (one series), or query (the series it matches)");
    bad.put("?host=web1", "history: service is missing (host 'web1' given); give both");
    bad.put("?service=cpu", "history: host is missing (service 'cpu' given); give both");
    bad.put("?host=&service=cpu", "history: host is empty");
    bad.put("?host=web1&service=%20", "history: service is empty");
    bad.put("?host=" + "h".repeat(1025) + "&service=cpu", "history: host of 1025 characters is longer than the most of 1024");
    bad.put("?query=" + enc("host ="), "history: query column 7 (at end of query): expected a value");
    bad.put("?query=", "history: query is empty; give a Riemann query such as service =~ \"cpu%\"");
    bad.put("?query=true&host=web1", "history: give either host and service, or query, not both");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      HttpResponse<String> r = send(authed("/monitor/api/history" + b.getKey()));
      assertThat(r.statusCode()).as(b.getKey()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).as(b.getKey()).startsWith(b.getValue());
    }
  }

  @Test
  void eventRatesPerHostNeedTheTokenAndComeInBuckets() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/monitor/api/rates"))).statusCode()).isEqualTo(401);
    JsonNode rates = JSON.readTree(send(authed("/monitor/api/rates")).body());
    assertThat(rates.get("bucketSeconds").asInt()).isEqualTo(10);
    long start = rates.get("startSecond").asLong();
    assertThat(start).isBetween(java.time.Instant.now().getEpochSecond() - 311, java.time.Instant.now().getEpochSecond() - 290);
    assertThat(rates.get("hosts").isArray()).isTrue();
  }

  @Test
  void silencesAreCreatedListedAndExpired() throws Exception {
    HttpResponse<String> created = send(authed("/monitor/api/silences").POST(HttpRequest.BodyPublishers.ofString(
        "{\"query\":\"host = \\\"web1\\\"\",\"duration\":\"2h\",\"comment\":\"kernel\",\"author\":\"ops\"}")));
    assertThat(created.statusCode()).isEqualTo(200);
    String id = JSON.readTree(created.body()).get("id").asText();
    assertThat(send(authed("/monitor/api/silences")).body()).contains(id).contains("kernel");
    assertThat(send(authed("/monitor/api/silences").POST(HttpRequest.BodyPublishers.ofString(
        "{\"query\":\"host =\",\"duration\":\"2h\"}"))).body()).contains("expected a value");
    assertThat(send(authed("/monitor/api/silences").POST(HttpRequest.BodyPublishers.ofString(
        "{\"query\":\"true\",\"duration\":\"soon\"}"))).body()).contains("'soon' is not a duration");
    assertThat(send(authed("/monitor/api/silences/" + id).DELETE()).statusCode()).isEqualTo(200);
    assertThat(send(authed("/monitor/api/silences/" + id).DELETE()).body()).contains("no silence with id");
    assertThat(send(HttpRequest.newBuilder(uri("/monitor/api/silences")).POST(HttpRequest.BodyPublishers.ofString("{}")))
        .statusCode()).isEqualTo(401);
  }

  @Test
  void theWebSocketSendsMatchingEventsThenChangesAndExpiries() throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(List.of(Event.builder().host("ws1").service("before").metric(1L).ttl(300).build()));
      List<String> got = new CopyOnWriteArrayList<>();
      WebSocket ws = http.newWebSocketBuilder().header("Cookie", "gantry_token=" + TOKEN)
          .buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/index?subscribe=true&query="
              + enc("host = \"ws1\"")), new Collect(got)).get();
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
      assertThat(got.get(0)).contains("\"service\":\"before\"");
      c.send(List.of(Event.builder().host("ws1").service("after").metric(2L).ttl(1).build(),
          Event.builder().host("other").service("after").metric(3L).build()));
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 3);
      assertThat(got.get(1)).contains("\"service\":\"after\"").contains("\"metric\":2");
      assertThat(got.get(2)).contains("\"state\":\"expired\"");
      assertThat(got).noneMatch(s -> s.contains("\"host\":\"other\""));
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }

  @Test
  void theWebSocketRefusesAnonymousClientsAndBadQueries() throws Exception {
    var anonymous = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/index?query=true"),
        new Collect(new CopyOnWriteArrayList<>()));
    assertThat(anonymous).failsWithin(Duration.ofSeconds(10));
    List<String> closed = new CopyOnWriteArrayList<>();
    http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
        .buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/index?query=" + enc("host =")), new Collect(closed) {
          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.add("closed " + statusCode + " " + reason);
            return null;
          }
        }).get();
    await().atMost(Duration.ofSeconds(10)).until(() -> !closed.isEmpty());
    assertThat(closed.get(0)).startsWith("closed 4400").contains("expected a value");
  }

  @Test
  void sseStreamsTheSameWay() throws Exception {
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(List.of(Event.builder().host("sse1").service("a").metric(1L).ttl(300).build()));
      HttpResponse<InputStream> r = http.send(authed("/index?subscribe=true&query=" + enc("host = \"sse1\""))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        assertThat(nextData(in)).contains("\"service\":\"a\"");
        c.send(List.of(Event.builder().host("sse1").service("b").metric(2L).ttl(300).build()));
        assertThat(nextData(in)).contains("\"service\":\"b\"");
      }
    }
  }

  static String nextData(BufferedReader in) throws Exception {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("data:")) {
        return line;
      }
    }
    throw new AssertionError("stream ended");
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static class Collect implements WebSocket.Listener {
    private final List<String> into;
    private final StringBuilder partial = new StringBuilder();

    Collect(List<String> into) {
      this.into = into;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        into.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
