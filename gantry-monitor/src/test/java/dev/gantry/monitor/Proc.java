package dev.gantry.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test and captures its output. */
public record Proc(int exitCode, String stdout, String stderr) {

  public static Proc run(List<String> command) {
    return run(command, null, Map.of(), 60);
  }

  public static Proc run(List<String> command, Path dir, Map<String, String> env, int timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      var out = p.getInputStream();
      var err = p.getErrorStream();
      var outF = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(out));
      var errF = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(err));
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
      }
      return new Proc(p.exitValue(), outF.join(), errF.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public Proc ok() {
    if (exitCode != 0) {
      throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
    }
    return this;
  }
}
