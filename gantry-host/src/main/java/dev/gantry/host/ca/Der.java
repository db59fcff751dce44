package dev.gantry.host.ca;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DER encodings a certificate and a PKCS#8 key need, with {@code java.base} alone.
 *
 * <pre>{@code
 * byte[] name = Der.sequence(Der.oid("2.5.29.19"), Der.octets(Der.sequence()));
 * }</pre>
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  /** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
  private static final Instant Y2050 = Instant.parse("2050-01-01T00:00:00Z");

  private Der() {}

  static byte[] tlv(int tag, byte[]... parts) {
    byte[] content = concat(parts);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write((n >> 8) & 0xff);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... items) {
    return tlv(0x30, items);
  }

  static byte[] integer(BigInteger v) {
    return tlv(0x02, v.toByteArray());
  }

  static byte[] integer(long v) {
    return integer(BigInteger.valueOf(v));
  }

  static byte[] bool(boolean b) {
    return tlv(0x01, new byte[] {(byte) (b ? 0xff : 0)});
  }

  static byte[] octets(byte[] b) {
    return tlv(0x04, b);
  }

  /** A BIT STRING of whole bytes. */
  static byte[] bits(byte[] b) {
    return tlv(0x03, new byte[] {0}, b);
  }

  /** A BIT STRING of named bits ({@code flags} bit 7 of byte 0 is bit 0), trailing zero bits dropped as DER asks. */
  static byte[] namedBits(int flags) {
    int unused = Integer.numberOfTrailingZeros(flags);
    return tlv(0x03, new byte[] {(byte) unused, (byte) flags});
  }

  static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
    for (int i = 2; i < p.length; i++) {
      long v = Long.parseLong(p[i]);
      List<Integer> groups = new ArrayList<>();
      do {
        groups.add(0, (int) (v & 0x7f));
        v >>= 7;
      } while (v > 0);
      for (int g = 0; g < groups.size(); g++) {
        out.write(groups.get(g) | (g < groups.size() - 1 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  static byte[] time(Instant t) {
    Instant s = t.truncatedTo(ChronoUnit.SECONDS);
    return s.isBefore(Y2050) ? tlv(0x17, ascii(UTC_TIME.format(s))) : tlv(0x18, ascii(GENERALIZED_TIME.format(s)));
  }

  /** {@code [n]} wrapping a whole encoding (EXPLICIT). */
  static byte[] explicit(int n, byte[] inner) {
    return tlv(0xa0 | n, inner);
  }

  /** {@code [n]} in place of a primitive's own tag (IMPLICIT). */
  static byte[] implicit(int n, byte[] content) {
    return tlv(0x80 | n, content);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The contents of the one encoding at the start of {@code der}. */
  static byte[] contents(byte[] der) {
    return Arrays.copyOfRange(der, headerLength(der, 0), headerLength(der, 0) + length(der, 0));
  }

  /** The encodings one after another in {@code content} (a SEQUENCE's contents). */
  static List<byte[]> elements(byte[] content) {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < content.length) {
      int end = at + headerLength(content, at) + length(content, at);
      out.add(Arrays.copyOfRange(content, at, end));
      at = end;
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int length(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      n = (n << 8) | (der[at + 2 + i] & 0xff);
    }
    return n;
  }
}
