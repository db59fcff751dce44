package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StartupTrainingTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  /** Runs a command line with its writers and the process's stderr (logs, picocli's warnings) captured. */
  int run(String... args) {
    PrintStream original = System.err;
    // before the command line is built: picocli remembers System.err then, and writes to that one
    // instead of the command line's writer when it finds another at execution
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      CommandLine cmd = Main.commandLine(args[0]);
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(err, true));
      return cmd.execute(args);
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void trainsInItsFolderAndPrintsNothing() throws Exception {
    Path work = dir.resolve("training"); // created by the command
    Path cwd = Path.of("").toAbsolutePath();
    Map<String, String> cwdBefore = files(cwd);

    assertThat(run("startup-training", work.toString())).isZero();

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries).containsExactly(work);
    }
    assertThat(files(cwd)).isEqualTo(cwdBefore);
    assertThat(Path.of("/var/lib/gantry/systems/shop-local")).doesNotExist();
  }

  @Test
  void leavesWhatADeployLeaves() throws Exception {
    assertThat(run("startup-training", dir.toString())).isZero();

    // the definition is compiled into the one cache every command uses
    try (Stream<Path> cached = Files.list(dev.gantry.core.infra.InfraDefinition.defaultCache())) {
      assertThat(cached).anySatisfy(d -> assertThat(d.resolve(".complete")).isRegularFile());
    }
    Path system = dir.resolve("root/systems/shop-local");
    assertThat(Files.readString(system.resolve("compose.yml"))).contains("image: \"shop/app:v2\"");
    assertThat(Files.readString(system.resolve("front/nginx.conf"))).contains("listen 80 default_server;");
    assertThat(new JsonLinesLedger(dir.resolve("data/deploy/ledger.jsonl")).all()).singleElement()
        .satisfies(r -> assertThat(r.release()).isEqualTo("v2"));
    Path infra = dir.resolve("infra");
    assertThat(HostsRegistry.read(infra.resolve("hosts.yml")).hosts().get("local").systems()).containsKey("shop");
    try (Git git = Git.open(infra.toFile())) {
      assertThat(git.log().addPath("hosts.yml").call()).hasSize(1);
      assertThat(git.status().addPath("hosts.yml").call().isClean()).isTrue();
    }
  }

  @Test
  void aFailureIsOneLineAndExitCodeOne() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    assertThat(run("startup-training", file.toString())).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("gantry: start-up training in " + file + " failed: ");
  }

  /** Every file under {@code root} but the build's output, with its size and modification time. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.startsWith(root.resolve("target"))).toList()) {
        out.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }
}
