package dev.gantry.core.process;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An external command to run: arguments, working directory, environment, timeout and where
 * its output goes. Immutable; every setter returns a new command.
 *
 * <p>The process is started in its own session (with {@code setsid} when the system has it)
 * so that a timeout or {@link RunningProcess#cancel()} ends the whole tree it started,
 * including children that re-parented. Being in its own session, the process has no
 * controlling terminal: nothing it runs can stop to prompt for a password (unless it is run
 * {@link #withTerminal()}). Stdout and stderr
 * are read on their own threads, so any amount of output streams through without blocking
 * the process.
 *
 * <pre>{@code
 * ProcessResult r = Command.of("./build.sh", "test")
 *     .dir(checkout)
 *     .env("CI", "true")
 *     .timeout(Duration.ofMinutes(30))
 *     .onStdout(log::append)
 *     .onStderr(log::append)
 *     .run();
 * if (r.timedOut()) { ... }
 * }</pre>
 *
 * <p>A program that cannot be found, or a working directory that does not exist, is a
 * {@link UserError} naming it. Environment values are never logged or shown.
 */
public final class Command {
  static final int DEFAULT_MAX_CAPTURE = 4 << 20;
  static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);
  private static final Consumer<String> IGNORE = line -> {};

  private final List<String> argv;
  private final Path dir;
  private final Map<String, String> env;
  private final boolean inheritEnv;
  private final Duration timeout;
  private final Consumer<String> onStdout;
  private final Consumer<String> onStderr;
  private final Stdin stdin;
  private final int maxCapture;
  private final Duration killGrace;
  private final boolean terminal;

  /** Where the standard input of the process comes from. */
  private sealed interface Stdin {
    record None() implements Stdin {}

    record Bytes(byte[] bytes) implements Stdin {}

    record File(Path file) implements Stdin {}
  }

  private Command(List<String> argv, Path dir, Map<String, String> env, boolean inheritEnv, Duration timeout,
      Consumer<String> onStdout, Consumer<String> onStderr, Stdin stdin, int maxCapture, Duration killGrace, boolean terminal) {
    this.argv = argv;
    this.dir = dir;
    this.env = env;
    this.inheritEnv = inheritEnv;
    this.timeout = timeout;
    this.onStdout = onStdout;
    this.onStderr = onStderr;
    this.stdin = stdin;
    this.maxCapture = maxCapture;
    this.killGrace = killGrace;
    this.terminal = terminal;
  }

  /** The program and its arguments, e.g. {@code Command.of("git", "status", "--short")}. */
  public static Command of(String program, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(List.of(args));
    return of(argv);
  }

  /** The program followed by its arguments. */
  public static Command of(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least the program");
    }
    argv.forEach(a -> Objects.requireNonNull(a, "command arguments must not be null"));
    return new Command(List.copyOf(argv), null, Map.of(), true, null, IGNORE, IGNORE, new Stdin.None(),
        DEFAULT_MAX_CAPTURE, DEFAULT_KILL_GRACE, false);
  }

  /** A shell command line run by {@code /bin/sh -c}. */
  public static Command shell(String commandLine) {
    return of("/bin/sh", "-c", commandLine);
  }

  /** Runs in {@code directory} (default: the current directory). */
  public Command dir(Path directory) {
    return new Command(argv, Objects.requireNonNull(directory), env, inheritEnv, timeout, onStdout, onStderr, stdin,
        maxCapture, killGrace, terminal);
  }

  /** Sets one environment variable for the process. */
  public Command env(String name, String value) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return withEnv(e);
  }

  /** Sets several environment variables for the process. */
  public Command env(Map<String, String> variables) {
    Map<String, String> e = new LinkedHashMap<>(env);
    variables.forEach((k, v) -> e.put(Objects.requireNonNull(k), Objects.requireNonNull(v, () -> "no value for " + k)));
    return withEnv(e);
  }

  private Command withEnv(Map<String, String> e) {
    return new Command(argv, dir, Collections.unmodifiableMap(e), inheritEnv, timeout, onStdout, onStderr, stdin,
        maxCapture, killGrace, terminal);
  }

  /** Whether the process starts from this JVM's environment (default true) or an empty one. */
  public Command inheritEnv(boolean inherit) {
    return new Command(argv, dir, env, inherit, timeout, onStdout, onStderr, stdin, maxCapture, killGrace, terminal);
  }

  /** Ends the process tree when it runs longer than this; the result then says {@code timedOut}. */
  public Command timeout(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("a timeout must be positive: " + limit);
    }
    return new Command(argv, dir, env, inheritEnv, limit, onStdout, onStderr, stdin, maxCapture, killGrace, terminal);
  }

  /** Receives each stdout line (without its line ending) as it comes, on a reader thread. */
  public Command onStdout(Consumer<String> lines) {
    return new Command(argv, dir, env, inheritEnv, timeout, Objects.requireNonNull(lines), onStderr, stdin,
        maxCapture, killGrace, terminal);
  }

  /** Receives each stderr line (without its line ending) as it comes, on a reader thread. */
  public Command onStderr(Consumer<String> lines) {
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, Objects.requireNonNull(lines), stdin,
        maxCapture, killGrace, terminal);
  }

  /** Feeds {@code text} (UTF-8) to the standard input; without it the process reads end-of-file. */
  public Command stdin(String text) {
    return stdin(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Feeds {@code bytes} to the standard input (a copy is taken). */
  public Command stdin(byte[] bytes) {
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, onStderr,
        new Stdin.Bytes(bytes.clone()), maxCapture, killGrace, terminal);
  }

  /** Feeds the contents of {@code file} to the standard input. */
  public Command stdin(Path file) {
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, onStderr,
        new Stdin.File(Objects.requireNonNull(file)), maxCapture, killGrace, terminal);
  }

  /** How many bytes of each stream the result keeps (the last ones); default 4 MiB, 0 keeps none. */
  public Command maxCapture(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxCapture must not be negative: " + bytes);
    }
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, onStderr, stdin, bytes, killGrace, terminal);
  }

  /** How long a terminated tree gets between TERM and KILL (default 3 s). */
  /**
   * Keeps the caller's controlling terminal instead of a session of its own, for a command
   * that may have to ask its user something there (ssh's passphrase, gpg's pinentry). The
   * price: on a timeout only the process and its descendants are ended, not children that
   * re-parented.
   */
  public Command withTerminal() {
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, onStderr, stdin, maxCapture, killGrace, true);
  }

  public Command killGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative: " + grace);
    }
    return new Command(argv, dir, env, inheritEnv, timeout, onStdout, onStderr, stdin, maxCapture, grace, terminal);
  }

  /** The program and its arguments. */
  public List<String> argv() {
    return argv;
  }

  /** Runs the command to its end (or timeout) and returns what happened. */
  public ProcessResult run() {
    return start().await();
  }

  /**
   * Like {@link #run()}, but a command that cannot be started (program not found, working
   * directory missing) is a result with exit status {@value ProcessResult#NOT_STARTED} and the
   * reason as its stderr instead of a {@link UserError}: how a shell, and so a remote host,
   * answers. For ports whose local and remote runners must answer alike.
   *
   * <pre>{@code
   * boolean hasGpg = Command.of("gpg", "--version").timeout(Duration.ofSeconds(10)).attempt().ok();
   * }</pre>
   */
  public ProcessResult attempt() {
    RunningProcess started;
    try {
      started = start();
    } catch (UserError e) {
      return ProcessResult.notStarted(argv, e.getMessage());
    }
    return started.await();
  }

  /** Starts the command and returns at once. */
  public RunningProcess start() {
    Path workDir = dir == null ? Path.of("").toAbsolutePath() : dir.toAbsolutePath();
    if (!Files.isDirectory(workDir)) {
      throw new UserError("cannot run " + this + ": working directory " + workDir + " does not exist");
    }
    ProcessBuilder pb = new ProcessBuilder().directory(workDir.toFile());
    Map<String, String> childEnv = pb.environment();
    if (!inheritEnv) {
      childEnv.clear();
    }
    childEnv.putAll(env);
    Path program = Executables.resolve(argv.get(0), workDir, childEnv);
    List<String> cmd = new ArrayList<>();
    boolean ownGroup = !terminal && Executables.setsid().isPresent();
    if (ownGroup) {
      cmd.add(Executables.setsid().orElseThrow().toString());
    }
    // the resolved path, so the program found is the one checked, whatever PATH setsid would use
    cmd.add(program.toString());
    cmd.addAll(argv.subList(1, argv.size()));
    pb.command(cmd);
    switch (stdin) {
      case Stdin.File f -> {
        if (!Files.isReadable(f.file())) {
          throw new UserError("cannot run " + this + ": input file " + f.file() + " is not readable");
        }
        pb.redirectInput(f.file().toFile());
      }
      case Stdin.Bytes b -> pb.redirectInput(ProcessBuilder.Redirect.PIPE);
      case Stdin.None n -> pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UserError("cannot run " + this + ": " + e.getMessage(), e);
    }
    return RunningProcess.started(this, process, ownGroup, stdin instanceof Stdin.Bytes b ? b.bytes() : null);
  }

  Duration timeoutOrNull() {
    return timeout;
  }

  Consumer<String> stdoutConsumer() {
    return onStdout;
  }

  Consumer<String> stderrConsumer() {
    return onStderr;
  }

  int maxCaptureBytes() {
    return maxCapture;
  }

  Duration killGraceTime() {
    return killGrace;
  }

  /** The command line as a shell would read it, e.g. {@code git commit -m 'a message'}. */
  @Override
  public String toString() {
    return ShellWords.join(argv);
  }
}
