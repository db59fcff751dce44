package dev.gantry.host.spin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A host command's standard input that is not known yet: reads wait until {@code body} is
 * ready. When it fails, the input simply ends, empty: the SSH channel sends its EOF as for
 * any input, and the runtime refuses an empty request and applies nothing.
 */
final class PendingInput extends InputStream {
  private final CompletableFuture<byte[]> body;
  private InputStream in;

  PendingInput(CompletableFuture<byte[]> body) {
    this.body = body;
  }

  private InputStream in() {
    if (in == null) {
      try {
        in = new ByteArrayInputStream(body.get());
      } catch (ExecutionException e) {
        in = InputStream.nullInputStream();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        in = InputStream.nullInputStream();
      }
    }
    return in;
  }

  @Override
  public int read() throws IOException {
    return in().read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return in().read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return body.isDone() ? in().available() : 0;
  }
}
