package dev.gantry.core.target;

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

/** Commands and files on this machine, as a deploy sees it ({@link LocalTarget#thisMachine()}). */
class ThisMachineTest {
  private final LocalTarget local = LocalTarget.thisMachine();
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
    local.write(dir + "/two", "2".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0600));
    local.write(dir + "/one", "1".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));

    assertThat(local.exists(dir)).isTrue();
    assertThat(local.list(dir)).containsExactly("one", "two");
    assertThat(Files.getPosixFilePermissions(Path.of(dir, "two"))).hasSize(2);
    assertThat(local.read(dir + "/one")).hasValueSatisfying(b -> assertThat(b).containsExactly('1'));
  }

  @Test
  void streamsFilesUpAndDownMakingFolders() throws IOException {
    byte[] blob = new byte[300_001];
    new java.util.Random(7).nextBytes(blob);
    String file = tmp.resolve("up/down/blob.bin").toString();
    local.upload(new java.io.ByteArrayInputStream(blob), file);
    assertThat(Files.readAllBytes(Path.of(file))).isEqualTo(blob);
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    local.download(file, back);
    assertThat(back.toByteArray()).isEqualTo(blob);
    try (var names = Files.list(Path.of(file).getParent())) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("blob.bin");
    }
  }

  @Test
  void writingMakesTheMissingFoldersAndSecretsAreTheOwnersAlone() throws IOException {
    String file = tmp.resolve("new/folder/app.env").toString();
    local.writeMakingFolders(file, "K=V\n".getBytes(StandardCharsets.UTF_8), FileAttrs.secretIf(true));
    assertThat(local.readText(file)).contains("K=V\n");
    assertThat(local.stat(file).orElseThrow().octalMode()).isEqualTo("0600");
    assertThatThrownBy(() -> local.write(tmp.resolve("absent/x").toString(), new byte[0], FileAttrs.KEEP))
        .isInstanceOf(TargetException.class).hasMessageContaining("does not exist").hasMessageContaining("this machine");
  }

  @Test
  void commandsSeeThisProcesssEnvironmentUnchanged() {
    // a deploy from a person's machine needs their PATH and HOME (Docker's configuration lives there)
    ProcessResult r = local.run(Duration.ofSeconds(10), "sh", "-c", "printf '%s|%s' \"$HOME\" \"$PATH\"");
    assertThat(r.stdout()).isEqualTo(System.getenv("HOME") + "|" + System.getenv("PATH"));
    ProcessResult host = new LocalTarget().run("sh", "-c", "printf '%s' \"$DEBIAN_FRONTEND\"");
    assertThat(host.stdout()).isEqualTo("noninteractive");
  }

  @Test
  void aCommandNeedsWords() {
    assertThatThrownBy(() -> local.run(List.of(), Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty command");
  }
}
