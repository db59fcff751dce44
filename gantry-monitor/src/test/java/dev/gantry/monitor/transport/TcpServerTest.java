package dev.gantry.monitor.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.proto.Msg;
import dev.gantry.monitor.client.proto.MsgCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCP transport at the byte level: pipelining, order of replies, refusal of bad frames. */
class TcpServerTest {
  @TempDir
  static Path data;
  static MonitorService monitor;

  @BeforeAll
  static void start() {
    monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1).withMaxFrameBytes(4096), data);
  }

  @AfterAll
  static void stop() {
    monitor.close();
  }

  static Msg read(DataInputStream in) throws IOException {
    int len = in.readInt();
    byte[] b = in.readNBytes(len);
    return MsgCodec.decode(b, 0, len, 0);
  }

  static Event event(String host, int i) {
    return Event.builder().host(host).service("svc " + i).metric((long) i).build();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (Socket s = new Socket("127.0.0.1", monitor.tcpPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());
      // send everything before reading anything: events, a query that sees them, a bad query, garbage
      ByteArrayBuilder all = new ByteArrayBuilder();
      for (int i = 0; i < 300; i++) {
        all.add(MsgCodec.encodeFramed(Msg.ofEvents(List.of(event("pipe", i)))));
      }
      all.add(MsgCodec.encodeFramed(Msg.ofQuery("host = \"pipe\" and service = \"svc 299\"")));
      all.add(MsgCodec.encodeFramed(Msg.ofQuery("host = ")));
      all.add(new byte[] {0, 0, 0, 2, (byte) 0x32, (byte) 0x7f});
      all.add(MsgCodec.encodeFramed(Msg.ofQuery("host = \"pipe\" and service = \"svc 0\"")));
      out.write(all.bytes());
      out.flush();
      for (int i = 0; i < 300; i++) {
        assertThat(read(in)).isEqualTo(Msg.acknowledged());
      }
      Msg found = read(in);
      assertThat(found.ok()).isTrue();
      assertThat(found.events()).singleElement().satisfies(e -> assertThat(e.metric()).isEqualTo(299L));
      Msg bad = read(in);
      assertThat(bad.ok()).isFalse();
      assertThat(bad.error()).contains("expected a value");
      Msg malformed = read(in);
      assertThat(malformed.ok()).isFalse();
      assertThat(malformed.error()).startsWith("malformed message:").contains("Msg.events");
      assertThat(read(in).events()).hasSize(1);
      // every frame decoded from its own bytes, though they arrived in one read
      List<Event> indexed = monitor.engine().call(c -> c.query("host = \"pipe\"")).get();
      assertThat(indexed).hasSize(300)
          .allSatisfy(e -> assertThat(e.service()).isEqualTo("svc " + e.metric()));
    }
  }

  @Test
  void anOversizedFrameIsRefusedAndTheConnectionSurvives() throws Exception {
    try (Socket s = new Socket("127.0.0.1", monitor.tcpPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());
      List<Event> many = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        many.add(event("big", i));
      }
      byte[] big = MsgCodec.encodeFramed(Msg.ofEvents(many));
      assertThat(big.length).isGreaterThan(4096);
      out.write(big);
      out.write(MsgCodec.encodeFramed(Msg.ofEvents(List.of(event("after", 1)))));
      out.flush();
      Msg refused = read(in);
      assertThat(refused.ok()).isFalse();
      assertThat(refused.error()).isEqualTo("frame of " + (big.length - 4) + " bytes exceeds the maximum of 4096 bytes");
      assertThat(read(in)).isEqualTo(Msg.acknowledged());
      assertThat(monitor.engine().call(c -> c.query("host = \"big\"")).get()).isEmpty();
    }
  }

  @Test
  void aHugeLengthPrefixIsRefusedWithoutBuffering() throws Exception {
    try (Socket s = new Socket("127.0.0.1", monitor.tcpPort())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(0x7fffffff);
      out.flush();
      Msg refused = read(new DataInputStream(s.getInputStream()));
      assertThat(refused.error()).contains("2147483647 bytes exceeds the maximum");
    }
  }

  /** Concatenates byte arrays. */
  static final class ByteArrayBuilder {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    void add(byte[] b) {
      out.writeBytes(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
