package dev.gantry.core.process;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Work that waits on something outside the JVM (a process, a remote engine) run beside the
 * caller, each task on its own virtual thread.
 *
 * <p>Not {@link CompletableFuture#supplyAsync(Supplier)}'s common pool: it has one thread
 * fewer than the machine has cores, a single one on two cores, so "parallel" waits on
 * processes there queue behind each other.
 *
 * <pre>{@code
 * CompletableFuture<Map<String, String>> images = Background.supply(() -> docker.imageIdentities(refs));
 * CompletableFuture<Void> ports = Background.run(() -> checkPorts());
 * }</pre>
 */
public final class Background {
  private static final ExecutorService TASKS = Executors.newVirtualThreadPerTaskExecutor();

  static {
    // work started here may log: logging is set up first, on the caller's thread, or SLF4J
    // intercepts the calls made while it initialises and warns on stderr that it replays them
    LoggerFactory.getILoggerFactory();
  }

  private Background() {}

  /** The executor behind {@link #supply} and {@link #run}, for the {@code *Async} steps of a future. */
  public static Executor executor() {
    return TASKS;
  }

  /** Starts {@code task} on its own thread; the future completes with its value or what it threw. */
  public static <T> CompletableFuture<T> supply(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, TASKS);
  }

  /** Starts {@code task} on its own thread; the future completes when it ends or with what it threw. */
  public static CompletableFuture<Void> run(Runnable task) {
    return CompletableFuture.runAsync(task, TASKS);
  }
}
