package dev.gantry.monitor.client.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.monitor.client.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringCacheTest {
  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRepeatedStringIsTheSameInstanceAndEveryStringDecodesRight() {
    StringCache cache = new StringCache();
    byte[] b = bytes("xx web-001.example.com");
    String first = cache.decode(b, 3, b.length - 3);
    assertThat(first).isEqualTo("web-001.example.com");
    assertThat(cache.decode(b, 3, b.length - 3)).isSameAs(first);
    assertThat(cache.decode(bytes("辻斬 ok"), 0, bytes("辻斬 ok").length)).isEqualTo("辻斬 ok");
    // far more distinct strings than slots: collisions replace, never confuse
    for (int i = 0; i < 5000; i++) {
      byte[] s = bytes("service-" + i);
      assertThat(cache.decode(s, 0, s.length)).isEqualTo("service-" + i);
    }
    byte[] empty = new byte[0];
    assertThat(cache.decode(empty, 0, 0)).isEmpty();
  }

  @Test
  void twoThreadsDecodingTheSameHostGetTheSameInstance() throws Exception {
    byte[] wire = MsgCodec.encode(Msg.ofEvents(List.of(Event.builder().host("web-shared.example.com").service("cpu").build())));
    String[] hosts = new String[2];
    Thread a = Thread.ofPlatform().start(() -> hosts[0] = MsgCodec.decode(wire, 0, wire.length, 0).events().get(0).host());
    a.join();
    Thread b = Thread.ofVirtual().start(() -> hosts[1] = MsgCodec.decode(wire, 0, wire.length, 0).events().get(0).host());
    b.join();
    assertThat(hosts[1]).isEqualTo("web-shared.example.com").isSameAs(hosts[0]);
  }

  @Test
  void decodedEventsShareTheirRepeatedStringsAndTags() {
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(Event.builder().host("web1").service("cpu").state("ok").tags("collectd", "cpu").metric(i).build());
    }
    byte[] wire = MsgCodec.encode(Msg.ofEvents(batch));
    List<Event> a = MsgCodec.decode(wire, 0, wire.length, 0).events();
    assertThat(a).hasSize(3);
    assertThat(a.get(1).host()).isSameAs(a.get(0).host());
    assertThat(a.get(2).state()).isSameAs(a.get(0).state());
    assertThat(a.get(2).tags()).isSameAs(a.get(0).tags()).containsExactly("collectd", "cpu");
    assertThat(a).extracting(Event::metric).containsExactly(0L, 1L, 2L);
  }
}
