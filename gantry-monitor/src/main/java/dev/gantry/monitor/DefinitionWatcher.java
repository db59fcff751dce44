package dev.gantry.monitor;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.core.infra.InfraDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the infrastructure definition ({@code infra/Infra.java} or a folder of sources),
 * applies its monitoring rules and probes, and reloads it whenever a source file changes.
 * A definition that does not compile is reported and the rules in force stay, with
 * their state.
 *
 * <pre>{@code
 * try (DefinitionWatcher w = DefinitionWatcher.start(Path.of("infra"), cacheDir, monitor::apply,
 *     Duration.ofSeconds(2), err -> log.warn(err))) { ... }
 * }</pre>
 */
public final class DefinitionWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DefinitionWatcher.class);

  private final Path source;
  private final Path cacheDir;
  private final Consumer<Infrastructure> apply;
  private final Consumer<String> onError;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("gantry-monitor-definition").unstarted(r));
  private final java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
  private long lastStamp = Long.MIN_VALUE;

  private DefinitionWatcher(Path source, Path cacheDir, Consumer<Infrastructure> apply, Consumer<String> onError) {
    this.source = source;
    this.cacheDir = cacheDir;
    this.apply = apply;
    this.onError = onError;
  }

  /**
   * Loads the definition now (a failure here is thrown: there is nothing to keep yet), then
   * checks for changes every {@code every}.
   */
  public static DefinitionWatcher start(Path source, Path cacheDir, Consumer<Infrastructure> apply, Duration every,
      Consumer<String> onError) {
    DefinitionWatcher w = new DefinitionWatcher(InfraDefinition.source(source), cacheDir, apply, onError);
    w.lastStamp = w.stamp();
    w.load();
    w.timer.scheduleWithFixedDelay(w::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  private void load() {
    apply.accept(InfraDefinition.load(source, cacheDir));
    applied.incrementAndGet();
    log.info("monitor: applied the monitoring of {}", source);
  }

  private void check() {
    long now = stamp();
    if (now == lastStamp) {
      return;
    }
    lastStamp = now;
    try {
      load();
    } catch (RuntimeException e) {
      String message = e instanceof UserError ? e.getMessage() : e.toString();
      log.warn("monitor: {} changed but was not applied, the previous rules stay: {}", source, message);
      onError.accept(message);
    }
  }

  /** The newest modification time and the number of the Java sources, as one stamp. */
  private long stamp() {
    try (Stream<Path> files = Files.isDirectory(source) ? Files.walk(source) : Stream.of(source)) {
      long[] acc = {0, 0};
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        try {
          acc[0] = Math.max(acc[0], Files.getLastModifiedTime(p).toMillis());
          acc[1]++;
        } catch (IOException e) {
          acc[1] += 1000;
        }
      });
      return acc[0] * 31 + acc[1];
    } catch (IOException e) {
      return lastStamp;
    }
  }

  /** How many times the definition was applied (the first load included). */
  public int applied() {
    return applied.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
