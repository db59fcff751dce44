package dev.gantry.host.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Both parts of the runtime a host needs: the Java image and Gantry's host bundle, each
 * made once per content and cached in {@code cacheDir}.
 *
 * <pre>{@code
 * RuntimeArtifacts rt = RuntimeArtifacts.ensure(SpinOptions.defaultCache());
 * HostRuntime.ensure(ssh, rt.java(), rt.app());
 * }</pre>
 */
public record RuntimeArtifacts(RuntimeArtifact java, RuntimeArtifact app) {
  public static RuntimeArtifacts ensure(Path cacheDir) {
    return new RuntimeArtifacts(JavaImage.ensure(cacheDir), AppBundle.ensure(cacheDir, AppBundle.currentClassPath()));
  }

  /** The size of both archives, as a person reads it ("13.2 MB"). */
  public String uploadSize() {
    try {
      long bytes = Files.size(java.archive()) + Files.size(app.archive());
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
