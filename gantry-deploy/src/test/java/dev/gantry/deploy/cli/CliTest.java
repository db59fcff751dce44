package dev.gantry.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.Systems;
import dev.gantry.deploy.testing.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.gantry.core.cli.ErrorHandler;
import picocli.CommandLine;

/**
 * The commands end to end: infra/Infra.java compiled at run time, real Docker, exit codes and
 * messages. Each test has a sandbox of its own.
 */
@Tag("integration")
class CliTest {
  Sandbox sb;
  int port;
  static final CliEnvironment ENV = new CliEnvironment((repo, data) -> dev.gantry.core.infra.InfraDefinition.load(repo), Map.of(),
      java.time.Clock.systemUTC());

  record Run(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    sb = new Sandbox();
    port = Systems.freePort();
    Files.createDirectories(sb.infra.resolve("infra"));
    writeInfra("A", 1);
  }

  @AfterEach
  void tearDown() {
    sb.close();
  }

  void writeInfra(String release, int schema) throws Exception {
    Files.writeString(sb.infra.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var web = i.add(GantrySystem.named("web")
                .service("app", s -> s.image("%s").port(8080).volume("events", "/data/events")
                    .health(HealthCheck.http("/health").every(Duration.ofMillis(500)))
                    .eventSchema(%d).harmlessEvents("UserLoggedIn").inspect("true"))
                .frontend(Frontend.nginx().image("%s").listen(%d).route("/", "app:8080")));
            i.host("local").address("127.0.0.1").role("staging").runs(web, "%s");
          }
        }
        """.formatted(TestImages.APP, schema, TestImages.NGINX, port, release));
  }

  Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(command));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--infra", sb.infra.toString(), "--data", sb.dir.resolve("data").toString(), "--root",
        sb.root.toString(), "--prefix", sb.prefix, "--unit-dir", sb.dir.resolve("systemd").toString(), "--health-timeout", "40"));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  String get(String path) throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.body().strip();
  }

  @Test
  void dryRunThenDeployTheDeclaredRelease() throws Exception {
    Run dry = run(new DeployCommand(ENV), "web", "--host", "local", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isEqualTo(0);
    assertThat(dry.out()).contains("Plan: web A on local", "compose.yml: new", "dry run: nothing was changed");

    Run r = run(new DeployCommand(ENV), "web", "--host", "local");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("backing up events", "deploy web A to local: A is healthy");
    assertThat(get("/release.txt")).isEqualTo("A");
  }

  @Test
  void deployAnExplicitReleaseAsJsonThenListBackupsAndReleases() throws Exception {
    assertThat(run(new DeployCommand(ENV), "web", "--host", "local").code()).isEqualTo(0);
    Run r = run(new DeployCommand(ENV), "web", "--host", "local", "--release", "B", "--json");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("\"release\" : \"B\"", "\"outcome\" : \"SUCCEEDED\"");
    assertThat(get("/release.txt")).isEqualTo("B");

    Run list = run(new BackupCommand(ENV), "list", "web", "--host", "local", "--json");
    assertThat(list.code()).as(list.err()).isEqualTo(0);
    String id = list.out().replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");
    Run verify = run(new BackupCommand(ENV), "verify", "web", "--host", "local", id);
    assertThat(verify.out()).contains("backup " + id + " is intact");

    Run rel = run(new ReleasesCommand(), "web");
    assertThat(rel.out()).contains("deploy", "succeeded").containsPattern("(?s) A .* B ");
  }

  @Test
  void rollbackAcrossSchemaChangeIsRefusedWithExitOne() throws Exception {
    assertThat(run(new DeployCommand(ENV), "web", "--host", "local", "--release", "B").code()).isEqualTo(0);
    writeInfra("D", 2);
    assertThat(run(new DeployCommand(ENV), "web", "--host", "local").code()).isEqualTo(0);
    Run r = run(new RollbackCommand(ENV), "web", "--host", "local");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("gantry: rollback of web on local refused: the event schema changed between B and D")
        .doesNotContain("Exception", "\tat ");
    Run ok = run(new RollbackCommand(ENV), "web", "--host", "local", "--accept-data-loss");
    assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(0);
    assertThat(get("/release.txt")).isEqualTo("B");
  }

  @Test
  void backupCreateAndRestoreThroughTheCli() {
    assertThat(run(new DeployCommand(ENV), "web", "--host", "local").code()).isEqualTo(0);
    Run c = run(new BackupCommand(ENV), "create", "web", "--host", "local");
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    String id = c.out().replaceAll("(?s).*backup (\\S+): .*", "$1");
    Run r = run(new BackupCommand(ENV), "restore", "web", "--host", "local", id);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("restored events from " + id, "healthy again", "the data before the restore is in backup");
  }

  @Test
  void aRestoreNamingAnUnknownVolumeStopsNothing() throws Exception {
    assertThat(run(new DeployCommand(ENV), "web", "--host", "local").code()).isEqualTo(0);
    Run c = run(new BackupCommand(ENV), "create", "web", "--host", "local");
    String id = c.out().replaceAll("(?s).*backup (\\S+): .*", "$1");
    Run r = run(new BackupCommand(ENV), "restore", "web", "--host", "local", id, "--volume", "nosuch");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("refusing to restore (nothing was stopped)", "declares no volume 'nosuch'")
        .doesNotContain("\tat ");
    assertThat(r.out()).doesNotContain("stopping");
    assertThat(get("/release.txt")).as("production still serves").isEqualTo("A");

    Run badId = run(new BackupCommand(ENV), "restore", "web", "--host", "local", "20990101T000000Z-0000");
    assertThat(badId.code()).isEqualTo(1);
    assertThat(badId.err()).contains("no backup '20990101T000000Z-0000'");
    assertThat(get("/release.txt")).isEqualTo("A");
  }

  @Test
  void severalHostsAreDeployedOneAtATimeAndTheFirstFailureStopsTheRest() throws Exception {
    Files.writeString(sb.infra.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var web1 = i.add(GantrySystem.named("web")
                .service("app", s -> s.image("%s").port(8080)
                    .health(HealthCheck.http("/health").every(Duration.ofMillis(300))))
                .frontend(Frontend.nginx().image("%s").listen(%d).route("/", "app:8080")));
            i.host("web1").address("127.0.0.1").role("production").runs(web1, "A");
            i.host("web2").address("127.0.0.1").role("production").runs(web1, "A");
          }
        }
        """.formatted(TestImages.APP, TestImages.NGINX, port));
    Run first = run(new DeployCommand(ENV), "web", "--host", "web1");
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(0);
    // web2 would publish the same port on the same engine: refused before any change, web1 keeps serving
    Run both = run(new DeployCommand(ENV), "web", "--role", "production", "--release", "B");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.out()).contains("web1:", "deploy web B to web1: B is healthy", "web2:");
    assertThat(both.err()).contains("stopped at web2 (web1 run the new release)", "port 127.0.0.1:" + port
        + " is published by container");
    assertThat(get("/release.txt")).isEqualTo("B");

    Run order = run(new DeployCommand(ENV), "web", "--host", "web2,web1", "--release", "A");
    assertThat(order.code()).isEqualTo(1);
    assertThat(order.err()).contains("stopped at web2", "web1 not touched");
    assertThat(get("/release.txt")).as("web1 stays on its release").isEqualTo("B");
  }

  @Test
  void badInputGivesAClearErrorAndExitCode() throws Exception {
    Run neither = run(new DeployCommand(ENV), "web");
    assertThat(neither.code()).isEqualTo(2);
    assertThat(neither.err()).contains("Give either --host HOST[,HOST...] or --role ROLE");

    Run unknownSystem = run(new DeployCommand(ENV), "shop", "--host", "local");
    assertThat(unknownSystem.code()).isEqualTo(1);
    assertThat(unknownSystem.err()).isEqualTo("gantry: unknown system 'shop'; the definition declares: web\n");

    Run unknownHost = run(new DeployCommand(ENV), "web", "--host", "prod");
    assertThat(unknownHost.err()).contains("unknown host 'prod'; the definition declares: local");

    Run badRelease = run(new DeployCommand(ENV), "web", "--host", "local", "--release", "app=");
    assertThat(badRelease.err()).contains("is not a valid image tag");

    Run noRole = run(new DeployCommand(ENV), "web", "--role", "nosuch");
    assertThat(noRole.code()).isEqualTo(1);
    assertThat(noRole.err()).contains("no host of role 'nosuch' runs system 'web'");

    Run badBackup = run(new BackupCommand(ENV), "verify", "web", "--host", "local", "nope");
    assertThat(badBackup.code()).isEqualTo(1);
    assertThat(badBackup.err()).contains("no backup 'nope'");

    Files.writeString(sb.infra.resolve("infra/Infra.java"), "public class Infra { int x = ; }\n");
    Run compile = run(new DeployCommand(ENV), "web", "--host", "local");
    assertThat(compile.code()).isEqualTo(1);
    assertThat(compile.err()).contains("Infra.java:1:").doesNotContain("\tat ");

    Path notRepo = sb.dir.resolve("not-a-repo");
    Files.createDirectories(notRepo.resolve("infra"));
    Files.copy(sb.infra.resolve("infra/Infra.java"), notRepo.resolve("infra/Infra.java"));
    writeInfra("A", 1);
    Files.copy(sb.infra.resolve("infra/Infra.java"), notRepo.resolve("infra/Infra.java"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new DeployCommand(ENV)));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("web", "--host", "local", "--infra", notRepo.toString(), "--data", sb.dir.resolve("data").toString(),
        "--root", sb.root.toString(), "--prefix", sb.prefix);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("is not in a git repository; run `git init` in it");
  }

  @Test
  void everyCommandHasHelpAndEnvCloneChecksItsHosts() {
    for (Object c : List.of(new DeployCommand(ENV), new RollbackCommand(ENV), new BackupCommand(ENV), new EnvCommand(ENV),
        new ReleasesCommand())) {
      StringWriter out = new StringWriter();
      CommandLine cl = new CommandLine(c);
      cl.setOut(new PrintWriter(out, true));
      assertThat(cl.execute("--help")).isEqualTo(0);
      assertThat(out.toString()).startsWith("Usage: ");
    }
    Run clone = run(new EnvCommand(ENV), "clone", "local", "--to", "qa");
    assertThat(clone.code()).isEqualTo(1);
    assertThat(clone.err()).contains("unknown host 'qa'; the definition declares: local");
    Run candidate = run(new EnvCommand(ENV), "clone", "local", "--to", "qa", "--release", "B");
    assertThat(candidate.code()).isEqualTo(1);
    assertThat(candidate.err()).contains("--release names the tags of one system: give --system too");
    Run noSub = run(new BackupCommand(ENV));
    assertThat(noSub.code()).isEqualTo(2);
  }
}
