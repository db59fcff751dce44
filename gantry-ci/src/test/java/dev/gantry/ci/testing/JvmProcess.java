package dev.gantry.ci.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Java main class started in a JVM of its own with the test class path; output goes to a file. */
public final class JvmProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private JvmProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static JvmProcess start(Class<?> main, Path output, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Files.createDirectories(output.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new JvmProcess(p, output);
  }

  public String output() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the output contains {@code text}. */
  public void awaitOutput(String text, Duration limit) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the process ended (" + process.exitValue() + ") before printing '" + text + "':\n" + output());
      }
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("no '" + text + "' after " + limit + ":\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** The processes this JVM started, and theirs. */
  public List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int waitFor(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("still running after " + limit + ":\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL to this JVM alone, as a crash or an OOM kill: what it started keeps running. */
  public void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGKILL, as a crash: the process gets no chance to clean up (its children are killed too). */
  public void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
