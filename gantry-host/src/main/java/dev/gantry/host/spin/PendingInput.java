package dev.gantry.host.spin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A host command's standard input that is not known yet: reads wait until {@code body} is
 * ready. When it fails, reading fails too, so the command sees its input end with nothing
 * (the runtime then refuses an empty request and applies nothing).
 */
final class PendingInput extends InputStream {
  private final CompletableFuture<byte[]> body;
  private InputStream in;

  PendingInput(CompletableFuture<byte[]> body) {
    this.body = body;
  }

  private InputStream in() throws IOException {
    if (in == null) {
      try {
        in = new ByteArrayInputStream(body.get());
      } catch (ExecutionException e) {
        throw new IOException("the spin stopped before the request was sent", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted before the request was sent", e);
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
