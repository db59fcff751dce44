package dev.gantry.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {

  @TempDir Path tmp;

  @Test
  void reportsExitCodeAndDurationAndOutput() {
    ProcessResult r = Command.shell("echo out; echo err >&2; sleep 0.3; exit 3").run();

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.ok()).isFalse();
    assertThat(r.timedOut()).isFalse();
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    // the upper bound only catches a wrong unit; a busy machine may take seconds to start a shell
    assertThat(r.duration()).isBetween(Duration.ofMillis(300), Duration.ofMinutes(1));
  }

  @Test
  void successIsOk() {
    ProcessResult r = Command.of("true").run();
    assertThat(r.ok()).isTrue();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void honoursWorkingDirectoryAndEnvironment() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("work dir"));
    ProcessResult r = Command.shell("pwd; echo \"$GREETING\"").dir(dir).env("GREETING", "hello world").run();

    assertThat(r.stdout().lines().toList()).containsExactly(dir.toRealPath().toString(), "hello world");
  }

  @Test
  void inheritsTheEnvironmentUnlessToldNot() {
    String inherited = Command.shell("echo \"${HOME:-none}\"").run().stdout().strip();
    String clean = Command.shell("echo \"${HOME:-none}\"; echo \"$ONLY\"").inheritEnv(false).env("ONLY", "this").run()
        .stdout();

    assertThat(inherited).isEqualTo(System.getenv().getOrDefault("HOME", "none"));
    assertThat(clean).isEqualTo("none\nthis\n");
  }

  @Test
  void streamsLinesToConsumersAsTheyCome() {
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    RunningProcess p = Command.shell("echo first; echo oops >&2; printf 'a\\r\\nno newline'; sleep 300")
        .onStdout(out::add).onStderr(err::add).start();
    try {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> out.size() == 2);
      assertThat(out).containsExactly("first", "a");
      assertThat(err).containsExactly("oops");
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.cancel();
    }
    p.await();
    assertThat(out).containsExactly("first", "a", "no newline");
  }

  @Test
  void feedsStandardInputFromTextOrFile() throws IOException {
    assertThat(Command.of("cat").stdin("line one\nzwei\n").run().stdout()).isEqualTo("line one\nzwei\n");

    Path input = Files.writeString(tmp.resolve("in.txt"), "from a file\n");
    assertThat(Command.of("wc", "-l").stdin(input).run().stdout().strip()).isEqualTo("1");
  }

  @Test
  void feedsStandardInputFromBytes() {
    byte[] binary = {0, 1, 2, (byte) 0xff, '\n'};
    ProcessResult r = Command.of("od", "-An", "-tx1").stdin(binary).run();
    assertThat(r.stdout().strip()).isEqualTo("00 01 02 ff 0a");
  }

  @Test
  void withoutInputTheProcessReadsEndOfFile() {
    ProcessResult r = Command.of("cat").timeout(Duration.ofSeconds(10)).run();
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void streamsOneHundredMegabytesWithoutDeadlock() {
    AtomicLong stdoutBytes = new AtomicLong();
    AtomicLong stderrBytes = new AtomicLong();
    // 100 MiB on stdout and 10 MiB on stderr at the same time: a reader that waited for one
    // stream before the other would leave the process blocked on a full pipe
    String script = "head -c 104857600 /dev/zero | tr '\\0' 'x' | fold -w 1023 &"
        + " head -c 10485760 /dev/zero | tr '\\0' 'y' | fold -w 1023 >&2; wait";
    ProcessResult r = Command.shell(script)
        .onStdout(line -> stdoutBytes.addAndGet(line.length() + 1))
        .onStderr(line -> stderrBytes.addAndGet(line.length() + 1))
        .maxCapture(1024)
        .timeout(Duration.ofMinutes(5))
        .run();

    // a deadlock would end in the timeout, and a timed-out run is not ok
    assertThat(r.timedOut()).isFalse();
    assertThat(r.ok()).isTrue();
    // fold breaks every 1023 characters and adds a newline
    assertThat(stdoutBytes.get()).isEqualTo(104857600L + 104857600L / 1023 + 1);
    assertThat(stderrBytes.get()).isEqualTo(10485760L + 10485760L / 1023 + 1);
    assertThat(r.stdout()).hasSizeLessThanOrEqualTo(1024).matches("[x\n]+");
  }

  @Test
  void keepsOnlyTheTailOfLargeOutput() {
    ProcessResult r = Command.shell("seq 1 100000").maxCapture(20).run();
    assertThat(r.stdout()).hasSize(20).endsWith("99999\n100000\n");
  }

  @Test
  void veryLongLinesArriveInBoundedPieces() {
    List<Integer> lengths = Collections.synchronizedList(new ArrayList<>());
    Command.shell("head -c 3000000 /dev/zero | tr '\\0' 'z'").onStdout(l -> lengths.add(l.length())).run();
    assertThat(lengths).containsExactly(StreamDrain.MAX_LINE, StreamDrain.MAX_LINE, 3000000 - 2 * StreamDrain.MAX_LINE);
  }

  @Test
  void decodesUtf8() {
    assertThat(Command.of("printf", "gr\u00fc\u00df dich \u2713\\n").run().stdout()).isEqualTo("gr\u00fc\u00df dich \u2713\n");
    assertThat("gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8)).hasSize(6);
  }

  @Test
  void aFailingConsumerDoesNotStopTheDraining() {
    ProcessResult r = Command.shell("seq 1 50000").onStdout(l -> {
      throw new IllegalStateException("consumer broke");
    }).timeout(Duration.ofSeconds(20)).run();
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).endsWith("50000\n");
  }

  @Test
  void aMissingProgramIsAUserErrorNamingIt() {
    assertThatThrownBy(() -> Command.of("no-such-program-xyz", "arg").run())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("no-such-program-xyz")
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> Command.of("./missing.sh").dir(tmp).run())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("./missing.sh");
  }

  @Test
  void attemptReportsACommandThatCannotStartAsExit127LikeAShell() {
    ProcessResult r = Command.of("no-such-program-xyz", "arg").attempt();
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.ok()).isFalse();
    assertThat(r.argv()).containsExactly("no-such-program-xyz", "arg");
    assertThat(r.stderr()).contains("no-such-program-xyz").contains("not found");

    assertThat(Command.shell("echo fine").attempt().stdout()).isEqualTo("fine\n");
  }

  @Test
  void theResultNamesTheCommandAsGiven() {
    assertThat(Command.of("echo", "hi").run().argv()).containsExactly("echo", "hi");
  }

  @Test
  void aFileThatIsNotExecutableIsAUserError() throws IOException {
    Files.writeString(tmp.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    assertThatThrownBy(() -> Command.of("./script.sh").dir(tmp).run())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("./script.sh")
        .hasMessageContaining("not executable");
  }

  @Test
  void aRelativeProgramIsFoundInTheWorkingDirectory() throws IOException {
    Path script = Files.writeString(tmp.resolve("hello.sh"), "#!/bin/sh\necho hello \"$1\"\n");
    script.toFile().setExecutable(true);
    assertThat(Command.of("./hello.sh", "you").dir(tmp).run().stdout()).isEqualTo("hello you\n");
  }

  @Test
  void aMissingWorkingDirectoryIsAUserError() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> Command.of("true").dir(missing).run())
        .isInstanceOf(UserError.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void anUnreadableInputFileIsAUserError() {
    Path missing = tmp.resolve("input.txt");
    assertThatThrownBy(() -> Command.of("cat").stdin(missing).run())
        .isInstanceOf(UserError.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void showsItselfAsAShellWould() {
    assertThat(Command.of("git", "commit", "-m", "it's done", "--author=a@b").toString())
        .isEqualTo("git commit -m 'it'\\''s done' --author=a@b");
  }

  @Test
  void awaitWithALimitReturnsEmptyWhileRunning() {
    RunningProcess p = Command.of("sleep", "30").start();
    try {
      assertThat(p.await(Duration.ofMillis(100))).isEmpty();
      assertThat(p.pid()).isPositive();
    } finally {
      p.cancel();
    }
    assertThat(p.await(Duration.ofSeconds(10))).isPresent();
  }

  @Test
  void returnsWhenTheProcessExitsEvenIfABackgroundChildKeepsTheOutputOpen() {
    long start = System.nanoTime();
    ProcessResult r = Command.shell("echo started; sleep 600 & echo $! > " + tmp.resolve("bg.pid")).run();
    try {
      assertThat(r.ok()).isTrue();
      assertThat(r.stdout()).startsWith("started");
      // waiting for the background child would take its 10 minutes; a busy machine takes seconds at most
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(2));
    } finally {
      Command.shell("kill $(cat " + tmp.resolve("bg.pid") + ")").run();
    }
  }

  @Test
  void aCommandHasASessionOfItsOwnUnlessItKeepsTheTerminal() throws Exception {
    String mine = session(Files.readString(Path.of("/proc/self/stat")));
    String own = session(Command.of("sh", "-c", "cat /proc/$$/stat").run().stdout());
    String kept = session(Command.of("sh", "-c", "cat /proc/$$/stat").withTerminal().run().stdout());

    assertThat(own).isNotEqualTo(mine);
    assertThat(kept).isEqualTo(mine);
  }

  /** Field 6 of /proc/PID/stat, after the command name in parentheses. */
  private static String session(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
  }
}
