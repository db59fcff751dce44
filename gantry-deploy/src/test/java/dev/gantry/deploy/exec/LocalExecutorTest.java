package dev.gantry.deploy.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.process.CommandFailed;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands and files on this machine. */
class LocalExecutorTest {
  private final LocalExecutor local = new LocalExecutor();
  @TempDir Path tmp;

  @Test
  void runsWithExtraEnvironmentAndReportsWhatHappened() {
    ProcessResult r = local.run(List.of("sh", "-c", "echo \"$GREETING\"; echo oops >&2; exit 3"),
        Map.of("GREETING", "hello"), Duration.ofSeconds(30));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hello\n");
    assertThat(r.argv()).containsExactly("sh", "-c", "echo \"$GREETING\"; echo oops >&2; exit 3");
    assertThatThrownBy(() -> r.requireOk("greeting"))
        .isInstanceOf(CommandFailed.class)
        .hasMessageContaining("greeting failed")
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("oops");
  }

  @Test
  void aProgramThatCannotStartIsExit127AsOnARemoteHost() {
    ProcessResult r = local.run(Duration.ofSeconds(10), "no-such-program-xyz");
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.tail()).contains("no-such-program-xyz");
  }

  @Test
  void aTimeoutKillsAGrandchildThatReParented() {
    ProcessResult r = local.run(Duration.ofSeconds(1), "sh", "-c", Processes.ORPHAN_THEN_SLEEP);

    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    long grandchild = Long.parseLong(r.stdout().strip());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !Processes.running(grandchild));
  }

  @Test
  void answersFileQuestionsWithoutAProcess() throws IOException {
    String dir = tmp.resolve("a/b").toString();
    assertThat(local.exists(dir)).isFalse();
    assertThat(local.list(dir)).isEmpty();

    local.mkdirs(dir);
    local.writeFile(dir + "/two", "2".getBytes(StandardCharsets.UTF_8), true);
    local.writeFile(dir + "/one", "1".getBytes(StandardCharsets.UTF_8), false);

    assertThat(local.exists(dir)).isTrue();
    assertThat(local.list(dir)).containsExactly("one", "two");
    assertThat(Files.getPosixFilePermissions(Path.of(dir, "two"))).hasSize(2);
    assertThat(local.readFile(dir + "/one")).hasValueSatisfying(b -> assertThat(b).containsExactly('1'));
  }
}
