package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.host.cli.HostCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An infrastructure repository for lab tests: its definition, and {@code gantry host spin} against it. */
final class LabRepo {
  record Spin(int code, String out, String err) {}

  private LabRepo() {}

  /** A git repository at {@code repo} holding {@code infraJava} as infra/Infra.java. */
  static Path create(Path repo, String infraJava) throws Exception {
    Files.createDirectories(repo.resolve("infra"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", "Lab Spin");
    git(repo, "config", "user.email", "lab-spin@example.org");
    Files.writeString(repo.resolve("infra/Infra.java"), infraJava);
    return repo;
  }

  /** {@code gantry host spin HOST} with the key the lab authorised, accepting the lab machine's new key. */
  static Spin spin(Path repo, String host, Path key, Path knownHosts, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = ErrorHandler.install(new picocli.CommandLine(new HostCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("spin", host, "--infra", repo.toString(), "-i", key.toString(),
        "--known-hosts", knownHosts.toString(), "--accept-new-host-key"));
    args.addAll(List.of(more));
    int code = cl.execute(args.toArray(String[]::new));
    return new Spin(code, out.toString(), err.toString());
  }

  static String git(Path repo, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + output).isZero();
    return output;
  }
}
