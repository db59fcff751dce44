package dev.gantry.host.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** An output stream that hands each complete line (without its newline) to a consumer. */
final class LineSink extends OutputStream {
  private final Consumer<String> lines;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

  LineSink(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      lines.accept(buf.toString(StandardCharsets.UTF_8));
      buf.reset();
    } else {
      buf.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (buf.size() > 0) {
      lines.accept(buf.toString(StandardCharsets.UTF_8));
      buf.reset();
    }
  }
}
