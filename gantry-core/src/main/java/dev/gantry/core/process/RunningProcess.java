package dev.gantry.core.process;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@link Command}. Its result is ready once the process exited and its output was
 * read; {@link #cancel()} ends the whole process tree.
 *
 * <pre>{@code
 * RunningProcess p = Command.of("./build.sh", "ui").onStdout(log::append).start();
 * ...
 * p.cancel();                       // the user pressed "stop"
 * ProcessResult r = p.await();
 * }</pre>
 *
 * <p>Process trees still running when the JVM shuts down are ended the same way.
 */
public final class RunningProcess {
  private static final Logger log = LoggerFactory.getLogger(RunningProcess.class);
  /** How long to keep reading after the exit: a background child may hold the pipes open. */
  private static final long DRAIN_AFTER_EXIT_MILLIS = 2000;
  private static final Set<RunningProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RunningProcess::killAllLive, "gantry-process-reaper"));
  }

  private final Command command;
  private final Process process;
  private final boolean ownGroup;
  private final long startNanos = System.nanoTime();
  private final StreamDrain out;
  private final StreamDrain err;
  private final AtomicBoolean killing = new AtomicBoolean();
  private final CompletableFuture<ProcessResult> result = new CompletableFuture<>();
  private volatile boolean timedOut;

  private RunningProcess(Command command, Process process, boolean ownGroup) {
    this.command = command;
    this.process = process;
    this.ownGroup = ownGroup;
    this.out = new StreamDrain(process.getInputStream(), command.stdoutConsumer(), command.maxCaptureBytes());
    this.err = new StreamDrain(process.getErrorStream(), command.stderrConsumer(), command.maxCaptureBytes());
  }

  static RunningProcess started(Command command, Process process, boolean ownGroup, byte[] stdin) {
    RunningProcess p = new RunningProcess(command, process, ownGroup);
    LIVE.add(p);
    String name = "process-" + process.pid();
    p.out.start(name + "-stdout");
    p.err.start(name + "-stderr");
    Thread.ofVirtual().name(name + "-stdin").start(() -> p.feed(stdin));
    Thread.ofVirtual().name(name + "-watch").start(p::watch);
    log.debug("started {} as pid {}", command, process.pid());
    return p;
  }

  private void feed(byte[] bytes) {
    try (OutputStream in = process.getOutputStream()) {
      if (bytes != null) {
        in.write(bytes);
      }
    } catch (IOException e) {
      // the process exited or closed its input before reading it all: nothing to do
    }
  }

  private void watch() {
    try {
      Duration timeout = command.timeoutOrNull();
      if (timeout != null && !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        log.info("{} (pid {}) timed out after {}; ending its process tree", command, process.pid(), timeout);
        kill();
      }
      int exit = process.waitFor();
      Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
      boolean outEnded = out.awaitEnd(DRAIN_AFTER_EXIT_MILLIS);
      boolean errEnded = err.awaitEnd(outEnded ? DRAIN_AFTER_EXIT_MILLIS : 0);
      if (!outEnded || !errEnded) {
        log.debug("{} exited but a background process still holds its output open", command);
      }
      out.detach();
      err.detach();
      result.complete(new ProcessResult(command.argv(), exit, out.captured(), err.captured(), duration, timedOut));
    } catch (InterruptedException e) {
      result.completeExceptionally(e);
    } finally {
      LIVE.remove(this);
    }
  }

  /** The operating system's id of the process. */
  public long pid() {
    return process.pid();
  }

  /** The command this process runs. */
  public Command command() {
    return command;
  }

  /** True while the process has not exited. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Ends the process and everything it started: TERM, then KILL after the command's kill
   * grace. Returns at once; {@link #await()} gives the result.
   */
  public void cancel() {
    if (process.isAlive()) {
      Thread.ofVirtual().name("process-" + process.pid() + "-cancel").start(this::kill);
    }
  }

  private void kill() {
    if (killing.compareAndSet(false, true)) {
      ProcessTree.kill(process.toHandle(), ownGroup, command.killGraceTime());
    }
  }

  /**
   * Waits for the result. If the waiting thread is interrupted, the process tree is
   * cancelled, the interrupt flag is kept, and the result after the kill is returned.
   */
  public ProcessResult await() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      kill();
      ProcessResult r = result.join();
      Thread.currentThread().interrupt();
      return r;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + command + " failed", e.getCause());
    }
  }

  /** Waits at most {@code limit}; empty if the process is still running then (it keeps running). */
  public Optional<ProcessResult> await(Duration limit) {
    try {
      return Optional.of(result.get(limit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + command + " failed", e.getCause());
    }
  }

  /** Completes with the result, for callers that compose futures. */
  public CompletableFuture<ProcessResult> onExit() {
    return result.copy();
  }

  private static void killAllLive() {
    LIVE.parallelStream().forEach(p -> ProcessTree.kill(p.process.toHandle(), p.ownGroup, Duration.ofSeconds(1)));
  }
}
