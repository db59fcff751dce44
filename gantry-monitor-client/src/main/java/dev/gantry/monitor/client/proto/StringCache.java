package dev.gantry.monitor.client.proto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The short ASCII strings a thread decoded lately. Hosts, services, states and tags repeat
 * from event to event, so decoding hands back the String it made before instead of a new
 * one: less garbage per event, and the events kept in an index share their strings. A
 * direct-mapped table of 1024 entries per platform thread; virtual threads (many, short)
 * decode without one.
 */
final class StringCache {
  private static final int SIZE = 1024;
  private static final int MAX_LENGTH = 128;
  private static final ThreadLocal<StringCache> LOCAL = ThreadLocal.withInitial(StringCache::new);

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final byte[][] keys = new byte[SIZE][];
  private final String[] strings = new String[SIZE];

  /** This thread's cache, or null on a virtual thread. */
  static StringCache forThisThread() {
    return Thread.currentThread().isVirtual() ? null : LOCAL.get();
  }

  String decode(byte[] buf, int off, int len) {
    if (len > MAX_LENGTH) {
      return new String(buf, off, len, StandardCharsets.UTF_8);
    }
    // hashes eight bytes at a step, checking on the way that all are ASCII
    long h = len;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONGS.get(buf, i);
      if ((v & HIGH_BITS) != 0) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
      }
      h = (h ^ v) * 0x9E3779B97F4A7C15L;
    }
    for (; i < end; i++) {
      byte b = buf[i];
      if (b < 0) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
      }
      h = (h ^ b) * 0x9E3779B97F4A7C15L;
    }
    int slot = (int) (h >>> 54) & (SIZE - 1);
    byte[] key = keys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, buf, off, end)) {
      return strings[slot];
    }
    String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    keys[slot] = Arrays.copyOfRange(buf, off, end);
    strings[slot] = s;
    return s;
  }
}
