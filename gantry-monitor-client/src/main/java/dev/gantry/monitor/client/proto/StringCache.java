package dev.gantry.monitor.client.proto;

import java.nio.charset.StandardCharsets;

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

  private final String[] strings = new String[SIZE];

  /** This thread's cache, or null on a virtual thread. */
  static StringCache forThisThread() {
    return Thread.currentThread().isVirtual() ? null : LOCAL.get();
  }

  String decode(byte[] buf, int off, int len) {
    if (len > MAX_LENGTH) {
      return new String(buf, off, len, StandardCharsets.UTF_8);
    }
    int h = 0;
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      if (b < 0) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
      }
      h = 31 * h + b;
    }
    int slot = (h ^ (h >>> 10) ^ (h >>> 20)) & (SIZE - 1);
    String s = strings[slot];
    if (s != null && sameAscii(s, buf, off, len)) {
      return s;
    }
    s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    strings[slot] = s;
    return s;
  }

  private static boolean sameAscii(String s, byte[] buf, int off, int len) {
    if (s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != buf[off + i]) {
        return false;
      }
    }
    return true;
  }
}
