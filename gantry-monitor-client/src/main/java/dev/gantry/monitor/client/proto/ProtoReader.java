package dev.gantry.monitor.client.proto;

/**
 * Reads protobuf wire primitives from a byte range. Every length is checked against the
 * bytes left, so a hostile length never allocates more than the input's size.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private int limit;

  ProtoReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.limit = off + len;
  }

  boolean atEnd() {
    return pos >= limit;
  }

  int position() {
    return pos;
  }

  /** The next tag, or fails on a zero or out-of-range field number. */
  int readTag(String where) {
    int at = pos;
    long tag = readVarint(where);
    if (tag >>> 3 == 0 || tag > 0xFFFFFFFFL) {
      throw new MalformedMessageException(where + ": invalid field tag " + tag + " at offset " + at);
    }
    return (int) tag;
  }

  long readVarint(String where) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new MalformedMessageException(where + ": truncated varint at offset " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new MalformedMessageException(where + ": varint longer than 10 bytes at offset " + pos);
  }

  long readFixed64(String where) {
    require(8, where);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFFL);
    }
    pos += 8;
    return v;
  }

  int readFixed32(String where) {
    require(4, where);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  /** Reads a length prefix and returns it, checking it fits in what is left. */
  int readLength(String where) {
    int at = pos;
    long len = readVarint(where);
    if (len < 0 || len > limit - pos) {
      throw new MalformedMessageException(where + ": length " + len + " exceeds the " + (limit - pos)
          + " bytes left at offset " + at);
    }
    return (int) len;
  }

  String readString(String where) {
    int len = readLength(where);
    String s = StringCache.SHARED.decode(buf, pos, len);
    pos += len;
    return s;
  }

  /**
   * Narrows this reader to the next length-delimited field, to be read as a message of its
   * own, and returns the limit to give {@link #leave} after it: no reader per nested message.
   */
  int enter(String where) {
    int len = readLength(where);
    int outer = limit;
    limit = pos + len;
    return outer;
  }

  /** Back to the enclosing message after the field {@link #enter} narrowed to. */
  void leave(int outer) {
    pos = limit;
    limit = outer;
  }

  void skip(int tag, String where) {
    int wireType = tag & 7;
    switch (wireType) {
      case VARINT -> readVarint(where);
      case FIXED64 -> {
        require(8, where);
        pos += 8;
      }
      case LENGTH_DELIMITED -> {
        int len = readLength(where);
        pos += len;
      }
      case FIXED32 -> {
        require(4, where);
        pos += 4;
      }
      default -> throw new MalformedMessageException(where + ": unsupported wire type " + wireType
          + " for field " + (tag >>> 3) + " at offset " + pos);
    }
  }

  /** Fails unless {@code tag} has the wire type {@code expected}. */
  static void expect(int tag, int expected, String where) {
    if ((tag & 7) != expected) {
      throw new MalformedMessageException(where + ": wire type " + (tag & 7) + ", expected " + expected);
    }
  }

  private void require(int n, String where) {
    if (limit - pos < n) {
      throw new MalformedMessageException(where + ": truncated at offset " + pos + " (" + n + " bytes needed)");
    }
  }
}
