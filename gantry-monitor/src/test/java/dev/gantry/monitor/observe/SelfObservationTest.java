package dev.gantry.monitor.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ProcessMetrics;
import dev.gantry.server.ServerSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Each kind of bad input, sent over real sockets, shows on the process's {@code /metrics} as
 * the refusal counter of its transport and reason, is logged once as a warning naming the
 * peer, and the monitor reports its own figures as events in its index.
 */
class SelfObservationTest {
  static final int MAX_FRAME = 16 * 1024;

  @TempDir
  static Path data;
  @TempDir
  static Path webData;
  static ProcessMetrics metrics;
  static MonitorService monitor;
  static GantryServer web;
  static ListAppender<ILoggingEvent> warnings = new ListAppender<>();

  @BeforeAll
  static void start() {
    warnings.start();
    ((Logger) LoggerFactory.getLogger(MonitorMeters.class)).addAppender(warnings);
    metrics = ProcessMetrics.start();
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(0).withMaxFrameBytes(MAX_FRAME)
        .withMaxQueuedEvents(1000).withTick(Duration.ofMillis(100)).withBuiltinRules(false), data, metrics.registry(),
        Clock.systemUTC());
    web = GantryServer.start(ServerSettings.defaults(webData).withPort(0).withToken("test-token-0123456789abcdef"),
        List.of(monitor.webComponent()), metrics);
  }

  @AfterAll
  static void stop() {
    web.close();
    monitor.close();
    metrics.close();
  }

  static String scrape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of the series {@code name{labels}} on /metrics. */
  static double series(String name, String labels) throws Exception {
    String body = scrape();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(body);
    while (m.find()) {
      List<String> have = List.of(m.group(1).split(","));
      if (have.containsAll(List.of(labels.split(",")))) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no series " + name + "{" + labels + "} in:\n" + body);
  }

  static double indexSize() throws Exception {
    return gauge("gantry_monitor_index_size");
  }

  /** The value of the unlabelled series {@code name} on /metrics. */
  static double gauge(String name) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape());
    assertThat(m.find()).as(name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static double refused(String transport, String reason) throws Exception {
    return series("gantry_monitor_refused_total", "reason=\"" + reason + "\",transport=\"" + transport + "\"");
  }

  /** Sends one length-prefixed frame of {@code body} and returns the reply. */
  static Msg tcpFrame(byte[] body, int declaredLength) throws Exception {
    try (Socket s = new Socket("127.0.0.1", monitor.tcpPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(declaredLength);
      out.write(body);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readInt()];
      in.readFully(reply);
      return MsgCodec.decode(reply, 0, reply.length, 0);
    }
  }

  static void udp(byte[] datagram) throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), monitor.udpPort()));
    }
  }

  static List<Event> events(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Event.builder().host("self-test").service("svc " + i).metric(i).build());
    }
    return out;
  }

  /** A Msg of {@code n} empty events (field 6, length 0: two bytes each), to overload a queue of 1000 in one datagram. */
  static byte[] emptyEvents(int n) {
    byte[] out = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      out[2 * i] = 0x32;
    }
    return out;
  }

  @Test
  void everyKindOfBadInputIsCountedOnMetricsAndLogged() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    // the other tests send input too: each series is read as its growth during this one
    java.util.Map<String, Double> before = new java.util.HashMap<>();
    for (String t : List.of("tcp", "udp", "tls")) {
      for (String r : List.of("malformed", "oversized", "overloaded")) {
        before.put(t + r, refused(t, r));
      }
    }

    Msg malformed = tcpFrame(garbage, garbage.length);
    assertThat(malformed.error()).startsWith("malformed message");
    Msg oversized = tcpFrame(new byte[MAX_FRAME + 1], MAX_FRAME + 1);
    assertThat(oversized.error()).contains("exceeds the maximum of " + MAX_FRAME);
    Msg overloaded = tcpFrame(emptyEvents(1001), 2002);
    assertThat(overloaded.error()).contains("server overloaded");
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(events(3));
    }
    udp(garbage);
    udp(new byte[21 * 1024]);
    udp(emptyEvents(1001));
    udp(MsgCodec.encode(Msg.ofEvents(events(2))));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(refused("tcp", "malformed") - before.get("tcpmalformed")).isEqualTo(1);
      assertThat(refused("tcp", "oversized") - before.get("tcpoversized")).isEqualTo(1);
      assertThat(refused("tcp", "overloaded") - before.get("tcpoverloaded")).isEqualTo(1);
      assertThat(refused("udp", "malformed") - before.get("udpmalformed")).isEqualTo(1);
      assertThat(refused("udp", "oversized") - before.get("udpoversized")).as("the 21 KiB datagram").isEqualTo(1);
      assertThat(refused("udp", "overloaded") - before.get("udpoverloaded")).isEqualTo(1);
      assertThat(refused("tls", "malformed")).isZero();
      assertThat(series("gantry_monitor_events_received_total", "transport=\"tcp\"")).isEqualTo(3);
      assertThat(series("gantry_monitor_events_received_total", "transport=\"udp\"")).isEqualTo(2);
    });
    assertThat(indexSize()).as("the five events accepted, and the monitor's own").isGreaterThanOrEqualTo(5);
    String body = scrape();
    assertThat(body).contains("gantry_monitor_queue_events ", "gantry_monitor_index_size ",
        "gantry_monitor_stream_latency_seconds_bucket{", "gantry_monitor_stream_latency_seconds_count ",
        "gantry_monitor_alerts{state=\"firing\"} 0", "gantry_monitor_alerts{state=\"pending\"} 0",
        "gantry_monitor_notifications_total{result=\"sent\"} 0", "gantry_monitor_notifications_total{result=\"failed\"} 0");

    List<String> lines = warnings.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anyMatch(l -> l.contains("refused tcp input from /127.0.0.1:") && l.contains("malformed"))
        .anyMatch(l -> l.contains("refused tcp input from /127.0.0.1:") && l.contains("oversized")
            && l.contains("frame of " + (MAX_FRAME + 1) + " bytes"))
        .anyMatch(l -> l.contains("refused udp input from /127.0.0.1:") && l.contains("oversized"))
        .anyMatch(l -> l.contains("refused udp input from") && l.contains("overloaded") && l.contains("1001 events"));
  }

  @Test
  void aFloodOfGarbageIsLoggedOncePerIntervalButCountedInFull() throws Exception {
    double before = refused("udp", "malformed");
    long linesBefore = warnings.list.stream().filter(l -> l.getFormattedMessage().contains("udp input")
        && l.getFormattedMessage().contains("malformed")).count();
    for (int i = 0; i < 50; i++) {
      udp(new byte[] {0x0a, (byte) 0xff});
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(refused("udp", "malformed")).isEqualTo(before + 50));
    long lines = warnings.list.stream().filter(l -> l.getFormattedMessage().contains("udp input")
        && l.getFormattedMessage().contains("malformed")).count();
    assertThat(lines - linesBefore).isLessThanOrEqualTo(1);
  }

  @Test
  void theChartsHistoryIsCountedOnMetrics() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    List<Event> points = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      for (int i = 4; i >= 0; i--) {
        points.add(Event.builder().host("history-test").service("svc " + s).metric(i).time(now.minusSeconds(i)).build());
      }
    }
    try (TcpClient c = TcpClient.connect("127.0.0.1", monitor.tcpPort())) {
      c.send(points);
    }
    // the figures are taken on the tick after the events, and other tests add their own
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gauge("gantry_monitor_history_series")).isGreaterThanOrEqualTo(3);
      assertThat(gauge("gantry_monitor_history_points")).isGreaterThanOrEqualTo(15);
    });
    assertThat(gauge("gantry_monitor_history_bytes")).isGreaterThanOrEqualTo(gauge("gantry_monitor_history_points") * 16);
  }

  @Test
  void theMonitorsOwnFiguresAreEventsInItsIndex() {
    await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> {
      List<Event> own = monitor.engine().call(c -> c.query("service =~ \"gantry monitor %\"")).get();
      assertThat(own).extracting(Event::service).contains("gantry monitor received tcp rate",
          "gantry monitor refused malformed rate", "gantry monitor queue events", "gantry monitor index size",
          "gantry monitor stream latency 0.99", "gantry monitor alerts firing", "gantry monitor notifications failed rate");
      assertThat(own).allMatch(e -> e.tagged("gantry") && e.ttl() == 30f);
    });
  }
}
