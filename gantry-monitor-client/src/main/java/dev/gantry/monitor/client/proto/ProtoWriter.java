package dev.gantry.monitor.client.proto;

/** Writes protobuf wire primitives into a byte array sized beforehand by {@link Sizes}. */
final class ProtoWriter {
  private final byte[] buf;
  private int pos;

  ProtoWriter(byte[] buf, int off) {
    this.buf = buf;
    this.pos = off;
  }

  int position() {
    return pos;
  }

  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void fixed64(long v) {
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void fixed32(int v) {
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void string(int field, String s) {
    tag(field, ProtoReader.LENGTH_DELIMITED);
    varint(Sizes.utf8Length(s));
    pos = Sizes.writeUtf8(s, buf, pos);
  }
}
