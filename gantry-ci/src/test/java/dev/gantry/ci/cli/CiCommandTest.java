package dev.gantry.ci.cli;

import static dev.gantry.ci.testing.CiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.testing.CiFixture;
import dev.gantry.ci.testing.GitFixture;
import dev.gantry.ci.testing.TestWeb;
import dev.gantry.core.cli.ErrorHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CiCommandTest {
  @TempDir Path tmp;
  CiFixture fx;

  record Run(int code, String out, String err) {}

  static Run ci(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new CiCommand()));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void theCommandsDriveARunningServer() throws Exception {
    fx = CiFixture.create(tmp).startServer(0);
    String server = fx.url();
    String token = TestWeb.ADMIN_TOKEN;
    assertThat(ci("pause", "--server", server, "--token", token, "--reason", "maintenance").out()).contains("paused: maintenance");
    // a branch pushed where no hook is installed, submitted by hand
    Files.delete(fx.central.resolve("hooks/post-receive"));
    String sha = fx.push("review/manual", "src/a.txt", "manual\n");
    Run submit = ci("submit", "review/manual", "--server", server, "--token", token);
    assertThat(submit.code()).isZero();
    assertThat(submit.out()).contains("queued patch #1 (review/manual)");
    Run status = ci("status", "--server", server, "--json");
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("\"paused\" : true").contains(sha);
    assertThat(ci("status", "--server", server).out()).contains("PAUSED: maintenance").contains("review/manual").contains("queued");
    assertThat(ci("remove", "1", "--server", server, "--token", token).out()).contains("patch #1 is now removed");
    assertThat(ci("retry", "1", "--server", server, "--token", token).out()).contains("patch #1 is now queued");
    assertThat(ci("resume", "--server", server, "--token", token).out()).contains("the queue runs");
    fx.agent("agent-1");
    await("merge", Duration.ofSeconds(60), () -> fx.stateOf(sha) == PatchState.MERGED);
    long run = fx.ci().database().runsOf(fx.patch(sha).candidates().get(fx.patch(sha).candidates().size() - 1)).stream()
        .filter(r -> r.step().equals("compile")).reduce((a, b) -> b).orElseThrow().id();
    assertThat(ci("logs", Long.toString(run), "--server", server).out()).contains("compile done");
    assertThat(ci("logs", Long.toString(run), "--server", server, "--follow").out()).contains("compile done");
    assertThat(ci("logs", Long.toString(run), "--server", server, "--json").out()).contains("\"run\"").contains("compile done");
    // the priority lane by hand
    String rush = fx.push("review/rush", "src/b.txt", "rush\n");
    Run urgent = ci("submit", "review/rush", "--urgent", "--server", server, "--token", token);
    assertThat(urgent.out()).contains("in the priority lane");
    assertThat(fx.patch(rush).urgent()).isTrue();
    assertThat(ci("status", "--server", server).out()).contains("[urgent]");
    // what is refused, and how
    Run noToken = ci("pause", "--server", server);
    assertThat(noToken.code()).isEqualTo(1);
    assertThat(noToken.err()).contains("give the admin token with --token or GANTRY_TOKEN");
    Run badToken = ci("pause", "--server", server, "--token", "wrong-wrong-wrong-wrong");
    assertThat(badToken.code()).isEqualTo(1);
    assertThat(badToken.err()).contains("refused the token (401)").doesNotContain("wrong-wrong");
    Run again = ci("remove", "1", "--server", server, "--token", token);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("patch #1 is already merged").doesNotContain("Exception");
    Run unknown = ci("logs", "99999", "--server", server);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no run 99999");
  }

  @Test
  void installHookWritesAWorkingHookAndUsageErrorsExitWithTwo() throws Exception {
    Path bare = new GitFixture(tmp).central("app", "README", "x\n");
    Path secret = tmp.resolve("secret");
    Files.writeString(secret, "hook-secret-0123456789\n");
    Run ok = ci("install-hook", bare.toString(), "--server", "http://127.0.0.1:9", "--secret-file", secret.toString());
    assertThat(ok.code()).isZero();
    assertThat(Files.readString(bare.resolve("hooks/gantry-hook.secret"))).isEqualTo("hook-secret-0123456789");
    Run notRepo = ci("install-hook", tmp.toString(), "--server", "http://127.0.0.1:9", "--secret-file", secret.toString());
    assertThat(notRepo.code()).isEqualTo(1);
    assertThat(notRepo.err()).contains("is not a bare git repository");
    Run noSecret = ci("install-hook", bare.toString(), "--server", "http://127.0.0.1:9", "--secret-file", tmp.resolve("nope").toString());
    assertThat(noSecret.code()).isEqualTo(1);
    assertThat(noSecret.err()).contains("--secret-file: cannot read");
    assertThat(ci("install-hook", bare.toString()).code()).isEqualTo(2);
    assertThat(ci("status", "--bogus").code()).isEqualTo(2);
    Run down = ci("status", "--server", "http://127.0.0.1:9");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the Gantry server at http://127.0.0.1:9");
    assertThat(ci("--help").out()).contains("install-hook").contains("submit");
  }
}
