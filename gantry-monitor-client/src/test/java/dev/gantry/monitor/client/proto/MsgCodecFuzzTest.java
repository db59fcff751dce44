package dev.gantry.monitor.client.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gantry.monitor.client.Event;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs: the decoder either decodes or throws
 * {@link MalformedMessageException}, and what it allocates stays proportional to the input.
 */
class MsgCodecFuzzTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void randomAndMutatedInputsOnlyEverFailCleanly() {
    SplittableRandom rnd = new SplittableRandom(4242);
    List<byte[]> seeds = seeds();
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] input = i % 4 == 0 ? randomBytes(rnd) : mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      try {
        Msg m = MsgCodec.decode(input, 0, input.length, 0);
        decoded++;
        // whatever decoded must encode again
        MsgCodec.decode(MsgCodec.encode(m), 0, MsgCodec.size(m), 0);
      } catch (MalformedMessageException e) {
        refused++;
        assertThat(e.getMessage()).isNotBlank();
      } catch (Throwable t) {
        fail("input " + java.util.HexFormat.of().formatHex(input) + " threw " + t, t);
      }
    }
    assertThat(decoded).isGreaterThan(1000);
    assertThat(refused).isGreaterThan(1000);
  }

  @Test
  void hostileLengthsAllocateNoMoreThanTheInput() {
    // a Msg claiming a 2 GiB event, an event claiming a 2 GiB host, many empty tags
    List<byte[]> hostile = List.of(
        java.util.HexFormat.of().parseHex("32ffffffff07"),
        java.util.HexFormat.of().parseHex("3206" + "22ffffffff07"),
        manyEmptyTags(100_000));
    for (byte[] h : hostile) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      try {
        MsgCodec.decode(h, 0, h.length, 0);
      } catch (MalformedMessageException expected) {
        // refusing is fine; allocating gigabytes is not
      }
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(allocated).as("bytes allocated decoding %d input bytes", h.length)
          .isLessThan(64L * h.length + 1_000_000);
    }
  }

  private static byte[] manyEmptyTags(int n) {
    byte[] event = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      event[2 * i] = 0x3a;
      event[2 * i + 1] = 0;
    }
    byte[] len = varint(event.length);
    byte[] out = new byte[1 + len.length + event.length];
    out[0] = 0x32;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(event, 0, out, 1 + len.length, event.length);
    return out;
  }

  private static byte[] varint(int v) {
    byte[] tmp = new byte[5];
    int n = 0;
    while ((v & ~0x7F) != 0) {
      tmp[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    tmp[n++] = (byte) v;
    return java.util.Arrays.copyOf(tmp, n);
  }

  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    Event full = Event.builder().host("web1").service("df-root/percent_bytes-used").state("warning")
        .description("disk").ttl(20).metric(91.5).tags("collectd", "df").attribute("plugin", "df").build();
    seeds.add(MsgCodec.encode(Msg.ofEvents(List.of(full, full.withMetric(3L), full.withMetric(1.5f)))));
    seeds.add(MsgCodec.encode(Msg.ofQuery("host = \"web1\" and service =~ \"df-%\"")));
    seeds.add(MsgCodec.encode(Msg.error("no")));
    seeds.add(MsgCodec.encode(Msg.answer(List.of(full))));
    return seeds;
  }

  private static byte[] randomBytes(SplittableRandom rnd) {
    byte[] b = new byte[rnd.nextInt(64)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
    byte[] b = seed.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      switch (rnd.nextInt(4)) {
        case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        case 1 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 2 -> b = java.util.Arrays.copyOf(b, Math.max(1, rnd.nextInt(b.length + 1)));
        default -> {
          int at = rnd.nextInt(b.length);
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = (byte) rnd.nextInt(256);
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
      }
    }
    return b;
  }
}
