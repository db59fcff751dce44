package dev.gantry.core.process;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the last {@code limit} bytes written to it; grows lazily so small outputs stay small.
 * What every runner keeps of a command's output, a {@link Command} here or a command over SSH.
 *
 * <pre>{@code
 * TailBuffer out = TailBuffer.standard();
 * channel.setOut(out);
 * String text = out.text();
 * }</pre>
 */
public final class TailBuffer extends OutputStream {
  private final int limit;
  private byte[] buf = new byte[0];
  private int start; // index of the oldest byte once the buffer wrapped
  private int size;
  private long total;

  TailBuffer(int limit) {
    this.limit = limit;
  }

  /** A buffer of the size a {@link Command} keeps by default (4 MiB). */
  public static TailBuffer standard() {
    return new TailBuffer(Command.DEFAULT_MAX_CAPTURE);
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] data, int off, int len) {
    total += len;
    if (limit == 0) {
      return;
    }
    if (len >= limit) {
      buf = Arrays.copyOfRange(data, off + len - limit, off + len);
      start = 0;
      size = limit;
      return;
    }
    ensureCapacity(Math.min(limit, size + len));
    for (int i = 0; i < len; ) {
      int end = (start + size) % buf.length;
      if (size == buf.length) { // full: overwrite the oldest byte
        int n = Math.min(len - i, buf.length - start);
        System.arraycopy(data, off + i, buf, start, n);
        start = (start + n) % buf.length;
        i += n;
      } else {
        int n = Math.min(len - i, Math.min(buf.length - end, buf.length - size));
        System.arraycopy(data, off + i, buf, end, n);
        size += n;
        i += n;
      }
    }
  }

  private void ensureCapacity(int needed) {
    if (needed <= buf.length) {
      return;
    }
    int capacity = Math.min(limit, Math.max(needed, Math.max(256, buf.length * 2)));
    byte[] grown = new byte[capacity];
    copyInto(grown);
    buf = grown;
    start = 0;
  }

  private void copyInto(byte[] target) {
    if (buf.length == 0) {
      return;
    }
    int first = Math.min(size, buf.length - start);
    System.arraycopy(buf, start, target, 0, first);
    System.arraycopy(buf, 0, target, first, size - first);
  }

  /** The kept bytes as UTF-8 text; a character cut in half at the start is skipped. */
  public synchronized String text() {
    byte[] out = new byte[size];
    copyInto(out);
    int from = 0;
    if (total > size) {
      while (from < out.length && (out[from] & 0xC0) == 0x80) {
        from++;
      }
    }
    return new String(out, from, out.length - from, StandardCharsets.UTF_8);
  }

  synchronized long total() {
    return total;
  }
}
