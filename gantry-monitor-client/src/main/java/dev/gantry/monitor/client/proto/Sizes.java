package dev.gantry.monitor.client.proto;

/** Encoded sizes of protobuf primitives and UTF-8 text without encoding twice. */
final class Sizes {
  private Sizes() {}

  static int varint(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  static int tag(int field) {
    return varint(field << 3);
  }

  static int string(int field, String s) {
    int len = utf8Length(s);
    return tag(field) + varint(len) + len;
  }

  static int utf8Length(String s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2;
          i++;
        } else {
          len += 2;
        }
      }
    }
    return len;
  }

  /** Writes {@code s} as UTF-8 (a lone surrogate becomes U+FFFD) and returns the new position. */
  static int writeUtf8(String s, byte[] buf, int pos) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // a lone surrogate has no UTF-8 form; three bytes keep the size computed above
        buf[pos++] = (byte) 0xEF;
        buf[pos++] = (byte) 0xBF;
        buf[pos++] = (byte) 0xBD;
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }
}
