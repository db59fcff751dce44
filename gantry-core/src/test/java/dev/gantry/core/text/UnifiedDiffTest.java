package dev.gantry.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  @Test
  void equalTextsHaveNoDiff() {
    assertThat(UnifiedDiff.of("/f", "a\n", "a\n")).isEmpty();
  }

  @Test
  void matchesDiffUForASimpleChange() throws Exception {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
    String ours = UnifiedDiff.of("/etc/x", a, b);
    assertThat(ours).isEqualTo("--- a/etc/x\n+++ b/etc/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    assertThat(hunks(ours)).isEqualTo(hunks(gnuDiff(a, b)));
  }

  @Test
  void aDeletedFileDiffsAgainstDevNull() {
    assertThat(UnifiedDiff.deleted("/etc/motd", "one\ntwo\n"))
        .isEqualTo("--- a/etc/motd\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n");
    assertThat(UnifiedDiff.deleted("/etc/empty", "")).isEmpty();
  }

  @Test
  void newFileAndMissingFinalNewline() throws Exception {
    assertThat(UnifiedDiff.of("/n", null, "x\ny\n")).isEqualTo("--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    String d = UnifiedDiff.of("/n", "x\n", "x");
    assertThat(hunks(d)).isEqualTo(hunks(gnuDiff("x\n", "x")));
  }

  @Test
  void patchReproducesTheNewTextForRandomEdits() throws Exception {
    Random rnd = new Random(42);
    for (int round = 0; round < 25; round++) {
      List<String> a = new ArrayList<>();
      for (int i = 0; i < 5 + rnd.nextInt(60); i++) {
        a.add("line " + rnd.nextInt(15));
      }
      List<String> b = new ArrayList<>(a);
      for (int e = 0; e < 1 + rnd.nextInt(6); e++) {
        int at = rnd.nextInt(b.size() + 1);
        switch (rnd.nextInt(3)) {
          case 0 -> b.add(at, "new " + rnd.nextInt(100));
          case 1 -> { if (at < b.size()) { b.remove(at); } }
          default -> { if (at < b.size()) { b.set(at, "changed " + rnd.nextInt(100)); } }
        }
      }
      String before = String.join("\n", a) + "\n";
      String after = String.join("\n", b) + (rnd.nextBoolean() ? "\n" : "");
      assertThat(applyPatch(before, UnifiedDiff.of("/f", before, after))).isEqualTo(after);
    }
  }

  private static String hunks(String diff) {
    return diff.substring(diff.indexOf("@@"));
  }

  private static String gnuDiff(String a, String b) throws Exception {
    Path dir = Files.createTempDirectory("diff");
    Files.writeString(dir.resolve("a"), a);
    Files.writeString(dir.resolve("b"), b);
    String out = Command.of("diff", "-u", dir.resolve("a").toString(), dir.resolve("b").toString()).run().stdout();
    Command.of("rm", "-rf", dir.toString()).run();
    return out;
  }

  private static String applyPatch(String before, String diff) throws Exception {
    Path dir = Files.createTempDirectory("patch");
    try {
      Path f = dir.resolve("f");
      Files.writeString(f, before);
      Path p = dir.resolve("d.patch");
      Files.writeString(p, diff);
      assertThat(Command.of("patch", "-s", f.toString(), p.toString()).run().exitCode()).isZero();
      return Files.readString(f);
    } finally {
      Command.of("rm", "-rf", dir.toString()).run();
    }
  }
}
