package dev.gantry.monitor.client.proto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The short ASCII strings decoded lately. Hosts, services, states and tags repeat from event
 * to event, so decoding hands back the String it made before instead of a new one: less
 * garbage per event, and the events kept in an index share their strings, so the index's and
 * the rules' lookups find a key equal by identity. One two-way table for every decoding
 * thread ({@link #SHARED}): whichever connection's thread decoded a host first, the others
 * get that same instance. An entry is one immutable object written in one store, so a thread
 * reading a slot another is replacing sees the old entry or the new one, whole, and checks
 * its bytes before using it.
 */
final class StringCache {
  private static final int SIZE = 8192;
  private static final int MAX_LENGTH = 128;
  /** The cache every decoder uses. */
  static final StringCache SHARED = new StringCache();

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Final fields: published whole to every thread, without a lock. */
  private record Entry(byte[] key, String string) {}

  private final Entry[] table = new Entry[SIZE];

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
    // two ways: a string sharing its slot with another (two hosts of a fleet, by chance) does
    // not evict it at every event; the newest goes first, the one it displaces second
    int slot = (int) (h >>> 51) & (SIZE - 1);
    Entry first = table[slot];
    if (first != null && Arrays.equals(first.key, 0, first.key.length, buf, off, end)) {
      return first.string;
    }
    Entry second = table[slot ^ 1];
    if (second != null && Arrays.equals(second.key, 0, second.key.length, buf, off, end)) {
      return second.string;
    }
    String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    if (first != null) {
      table[slot ^ 1] = first;
    }
    table[slot] = new Entry(Arrays.copyOfRange(buf, off, end), s);
    return s;
  }
}
