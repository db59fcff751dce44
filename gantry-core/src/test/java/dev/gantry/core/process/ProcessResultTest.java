package dev.gantry.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProcessResultTest {
  private static final List<String> ARGV = List.of("mkdir", "-p", "/srv/app");

  private static ProcessResult result(int exit, String stdout, String stderr, boolean timedOut) {
    return new ProcessResult(ARGV, exit, stdout, stderr, Duration.ofSeconds(31), timedOut);
  }

  @Test
  void okMeansExitZeroWithinTheTimeout() {
    assertThat(result(0, "", "", false).ok()).isTrue();
    assertThat(result(1, "", "", false).ok()).isFalse();
    assertThat(result(0, "", "", true).ok()).isFalse();
  }

  @Test
  void theTailIsTheLastLinesOfStderrOrElseStdout() {
    assertThat(result(3, "out\n", "oops\n", false).tail()).isEqualTo("oops");
    assertThat(result(3, "only out\n", "  \n", false).tail()).isEqualTo("only out");
    assertThat(result(3, "", "", false).tail()).isEmpty();

    String twenty = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    assertThat(result(1, "", twenty, false).tail().lines().toList())
        .containsExactly("line 13", "line 14", "line 15", "line 16", "line 17", "line 18", "line 19", "line 20");
  }

  @Test
  void theTailIsBoundedInCharactersToo() {
    String longLine = "x".repeat(100_000) + "end";
    String tail = result(1, "", longLine, false).tail();
    assertThat(tail).hasSizeLessThanOrEqualTo(2003).startsWith("...").endsWith("end");
  }

  @Test
  void aTimedOutResultSaysSoInItsTailAndStatus() {
    ProcessResult r = result(143, "", "partial\n", true);
    assertThat(r.tail()).isEqualTo("partial\ntimed out after 31 s");
    assertThat(r.status()).isEqualTo("timed out after 31 s");
    assertThat(result(143, "", "", true).tail()).isEqualTo("timed out after 31 s");
    assertThat(result(2, "", "", false).status()).isEqualTo("exit 2");
  }

  @Test
  void requireOkReturnsTheResultOrFailsNamingStepCommandAndOutput() {
    ProcessResult fine = result(0, "done", "", false);
    assertThat(fine.requireOk("creating the folder")).isSameAs(fine);

    assertThatThrownBy(() -> result(1, "", "mkdir: Permission denied\n", false).requireOk("creating /srv/app"))
        .isInstanceOf(CommandFailed.class)
        .isInstanceOf(UserError.class)
        .hasMessage("creating /srv/app failed: `mkdir -p /srv/app` exited with 1:\nmkdir: Permission denied")
        .satisfies(e -> assertThat(((CommandFailed) e).result().exitCode()).isEqualTo(1));
    assertThatThrownBy(() -> result(143, "", "", true).requireOk("creating /srv/app"))
        .hasMessage("creating /srv/app failed: `mkdir -p /srv/app` timed out after 31s");
  }

  @Test
  void showsTheCommandAsAShellWould() {
    assertThat(new ProcessResult(List.of("sh", "-c", "echo it's"), 0, "", "", Duration.ZERO, false).commandLine())
        .isEqualTo("sh -c 'echo it'\\''s'");
  }

  @Test
  void aCommandThatNeverRanReportsExit127WithTheReason() {
    ProcessResult r = ProcessResult.notStarted(List.of("nope"), "cannot run 'nope': command not found on PATH");
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.ok()).isFalse();
    assertThat(r.tail()).isEqualTo("cannot run 'nope': command not found on PATH");
  }
}
