package dev.gantry.ci.agent;

import dev.gantry.core.process.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The step processes an agent has running, noted on disk (one file per run: the process
 * group's id and its leader's start time) so that an agent killed without a chance to clean
 * up (SIGKILL, a crash, a power cut of the JVM only) ends what it left behind when it starts
 * again, before it takes new work.
 *
 * <pre>{@code
 * StepProcesses steps = new StepProcesses(work.resolve("running"));
 * steps.killLeftovers(Duration.ofSeconds(5)).forEach(LOG::warn);   // at start
 * steps.started(run, process.pid());  ...  steps.ended(run);
 * }</pre>
 */
final class StepProcesses {
  private final Path dir;

  StepProcesses(Path dir) {
    this.dir = dir;
  }

  /** Notes that run {@code run}'s process group {@code pgid} runs. */
  void started(long run, long pgid) {
    String since = ProcessHandle.of(pgid).flatMap(h -> h.info().startInstant()).map(Instant::toString).orElse("-");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(run + ".pid"), pgid + " " + since + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot note the process of run " + run + " in " + dir, e);
    }
  }

  /** Notes that run {@code run}'s processes have ended. */
  void ended(long run) {
    try {
      Files.deleteIfExists(dir.resolve(run + ".pid"));
    } catch (IOException e) {
      // a stale note is harmless: its group is gone or not ours (the start time says which)
    }
  }

  /**
   * Ends the process groups of runs an earlier agent process left noted; returns a line per
   * run that still had processes. A noted leader that runs but started at another time is a
   * reused process id, not ours, and is left alone.
   */
  List<String> killLeftovers(Duration grace) {
    List<String> said = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return said;
    }
    try (DirectoryStream<Path> notes = Files.newDirectoryStream(dir, "*.pid")) {
      for (Path note : notes) {
        String run = note.getFileName().toString().replace(".pid", "");
        parse(note).filter(n -> ours(n)).ifPresent(n -> {
          int ended = ProcessGroup.kill(n.pgid(), grace);
          if (ended > 0) {
            said.add("ended " + ended + " process(es) that run " + run + " left running when this agent stopped last");
          }
        });
        Files.deleteIfExists(note);
      }
    } catch (IOException e) {
      said.add("cannot read " + dir + " to end the processes an earlier run left: " + e.getMessage());
    }
    return said;
  }

  private record Note(long pgid, String since) {}

  private static Optional<Note> parse(Path note) {
    try {
      String[] f = Files.readString(note, StandardCharsets.UTF_8).strip().split(" ");
      return f.length == 2 && f[0].matches("\\d{1,10}") ? Optional.of(new Note(Long.parseLong(f[0]), f[1])) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean ours(Note n) {
    Optional<ProcessHandle> leader = ProcessHandle.of(n.pgid());
    if (leader.isEmpty()) {
      return true; // the leader is gone; what is left of its group was started by it
    }
    return leader.get().info().startInstant().map(Instant::toString).map(n.since()::equals).orElse(false);
  }
}
