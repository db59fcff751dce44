package dev.gantry.monitor.client.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.monitor.client.Event;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsgCodecTest {
  private static final long NOW = 1_700_000_000_000_000L;

  private static Msg roundTrip(Msg m) {
    byte[] b = MsgCodec.encode(m);
    assertThat(b).hasSize(MsgCodec.size(m));
    return MsgCodec.decode(b, 0, b.length, NOW);
  }

  @Test
  void eventsSurviveARoundTrip() {
    Event e = Event.builder().host("web1").service("cpu ünïcode ✓ 𝄞").state("ok").description("d")
        .timeMicros(1_600_000_000_123_456L).ttl(30).metric(42L).tags("a", "b").attribute("k", "v").build();
    Event d = Event.builder().host("h").service("s").metric(1.5).timeMicros(5).build();
    Event f = Event.builder().host("h").service("f").metric(2.5f).timeMicros(5).build();
    Msg back = roundTrip(Msg.ofEvents(List.of(e, d, f)));
    assertThat(back.events()).containsExactly(e, d, f);
    assertThat(back.events().get(0).metric()).isInstanceOf(Long.class);
    assertThat(back.events().get(1).metric()).isInstanceOf(Double.class);
    assertThat(back.events().get(2).metric()).isInstanceOf(Float.class);
  }

  @Test
  void aLargeBatchDecodesWholeAndReadOnly() {
    List<Event> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // alternately none, one and two attributes, and tags shared with the previous event or not
      Event.Builder b = Event.builder().host("h" + (i % 7)).service("s" + i).metric(i).timeMicros(i).tags(i % 3 == 0 ? "x" : "y");
      if (i % 3 > 0) {
        b.attribute("status", "200");
      }
      if (i % 3 > 1) {
        b.attribute("path", "/" + i);
      }
      sent.add(b.build());
    }
    Msg back = roundTrip(Msg.ofEvents(sent));
    assertThat(back.events()).containsExactlyElementsOf(sent);
    assertThat(back).isEqualTo(Msg.ofEvents(sent));
    assertThatThrownBy(() -> back.events().add(sent.get(0))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> back.events().set(0, sent.get(1))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> back.events().get(500)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aRepeatedAttributeKeepsItsLastValue() {
    // attributes {k=a}, {k=b}, then {j=c}, {k=d}: as a map, the last of each key
    String ka = "4a06" + "0a016b" + "120161";
    String kb = "4a06" + "0a016b" + "120162";
    String jc = "4a06" + "0a016a" + "120163";
    String kd = "4a06" + "0a016b" + "120164";
    assertThat(decode("3210" + ka + kb).events().get(0).attributes()).containsExactly(java.util.Map.entry("k", "b"));
    assertThat(decode("3220" + ka + kb + jc + kd).events().get(0).attributes())
        .containsOnly(java.util.Map.entry("k", "d"), java.util.Map.entry("j", "c"));
  }

  @Test
  void repliesAndQueriesSurviveARoundTrip() {
    assertThat(roundTrip(Msg.acknowledged())).isEqualTo(Msg.acknowledged());
    assertThat(roundTrip(Msg.error("bad query"))).isEqualTo(Msg.error("bad query"));
    assertThat(roundTrip(Msg.ofQuery("host = \"a\""))).isEqualTo(Msg.ofQuery("host = \"a\""));
  }

  @Test
  void okReplyIsTheTwoBytesRiemannSends() {
    assertThat(HexFormat.of().formatHex(MsgCodec.encodeFramed(Msg.acknowledged()))).isEqualTo("000000021001");
  }

  @Test
  void metricPrecedenceIsSint64ThenDoubleThenFloat() {
    // event{ metric_f=1.0, metric_d=2.0, metric_sint64=-3 } written in field order f, d, sint64
    byte[] ev = HexFormat.of().parseHex("7d0000803f" + "71" + "0000000000000040" + "6805");
    Msg m = MsgCodec.decode(wrapEvent(ev), 0, wrapEvent(ev).length, NOW);
    assertThat(m.events().get(0).metric()).isEqualTo(-3L);
    byte[] noSint = HexFormat.of().parseHex("7d0000803f" + "71" + "0000000000000040");
    assertThat(MsgCodec.decode(wrapEvent(noSint), 0, wrapEvent(noSint).length, NOW).events().get(0).metric()).isEqualTo(2.0);
  }

  @Test
  void timeMicrosWinsOverTimeAndNoTimeMeansNow() {
    byte[] both = HexFormat.of().parseHex("0864" + "50e807"); // time=100 s, time_micros=1000
    assertThat(MsgCodec.decode(wrapEvent(both), 0, wrapEvent(both).length, NOW).events().get(0).timeMicros()).isEqualTo(1000);
    byte[] seconds = HexFormat.of().parseHex("0864");
    assertThat(MsgCodec.decode(wrapEvent(seconds), 0, wrapEvent(seconds).length, NOW).events().get(0).timeMicros()).isEqualTo(100_000_000L);
    byte[] none = HexFormat.of().parseHex("2201" + "68");
    byte[] hostOnly = HexFormat.of().parseHex("220168");
    assertThat(MsgCodec.decode(wrapEvent(hostOnly), 0, wrapEvent(hostOnly).length, NOW).events().get(0).timeMicros()).isEqualTo(NOW);
    assertThat(none).isEqualTo(hostOnly);
  }

  @Test
  void unknownFieldsAndLegacyStatesAreSkipped() {
    // states (field 4) with a host, then an unknown varint field 20, then an event with host "h"
    byte[] msg = HexFormat.of().parseHex("2203220178" + "a00107" + "3203220168");
    Msg m = MsgCodec.decode(msg, 0, msg.length, NOW);
    assertThat(m.events()).hasSize(1);
    assertThat(m.events().get(0).host()).isEqualTo("h");
  }

  @Test
  void malformedInputIsRefusedWithWhereItBroke() {
    assertThatThrownBy(() -> decode("32ff01")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("Msg.events: length 255 exceeds the 0 bytes left at offset 1");
    assertThatThrownBy(() -> decode("3202" + "2264")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("Msg.events[0]: Event.host: length 100");
    assertThatThrownBy(() -> decode("3205" + "4a03120178")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("attribute without the required key");
    // a nested length is checked against its own message, not the bytes after it
    assertThatThrownBy(() -> decode("3203" + "4a0512" + "2201782201782201")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("Msg.events[0]: Event.attributes: length 5 exceeds the 1 bytes left");
    assertThatThrownBy(() -> decode("ffffffffffffffffffffff01")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("varint longer than 10 bytes");
    assertThatThrownBy(() -> decode("0b")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("unsupported wire type 3");
    assertThatThrownBy(() -> decode("3202" + "2001")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("Event.host: wire type 0, expected 2");
    assertThatThrownBy(() -> decode("00")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid field tag 0");
  }

  private static Msg decode(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    return MsgCodec.decode(b, 0, b.length, NOW);
  }

  private static byte[] wrapEvent(byte[] event) {
    byte[] out = new byte[event.length + 2];
    out[0] = 0x32;
    out[1] = (byte) event.length;
    System.arraycopy(event, 0, out, 2, event.length);
    return out;
  }
}
