package dev.gantry.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.deploy.testing.Sandbox;
import dev.gantry.deploy.testing.Systems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/** The commands end to end: infra/Infra.java compiled at run time, real Docker, exit codes and messages. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
  static Sandbox sb;
  static int port;
  static final CliEnvironment ENV = new CliEnvironment(CliEnvironment::loadDefinition, Map.of(), java.time.Clock.systemUTC());

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void setUp() throws Exception {
    sb = new Sandbox();
    port = Systems.freePort();
    Files.createDirectories(sb.infra.resolve("infra"));
    writeInfra("A", 1);
  }

  @AfterAll
  static void tearDown() {
    sb.close();
  }

  static void writeInfra(String release, int schema) throws Exception {
    Files.writeString(sb.infra.resolve("infra/Infra.java"), """
        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var web = i.add(GantrySystem.named("web")
                .service("app", s -> s.image("gantry-test/app").port(8080).volume("events", "/data/events")
                    .health(HealthCheck.http("/health").every(Duration.ofMillis(500)))
                    .eventSchema(%d).harmlessEvents("UserLoggedIn").inspect("true"))
                .frontend(Frontend.nginx().image("gantry-test/nginx:1").listen(%d).route("/", "app:8080")));
            i.host("local").address("127.0.0.1").role("staging").runs(web, "%s");
          }
        }
        """.formatted(schema, port, release));
  }

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--infra", sb.infra.toString(), "--data", sb.dir.resolve("data").toString(), "--root",
        sb.root.toString(), "--prefix", sb.prefix, "--unit-dir", sb.dir.resolve("systemd").toString(), "--health-timeout", "40"));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  static String get(String path) throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.body().strip();
  }

  @Test
  @Order(1)
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
  @Order(2)
  void deployAnExplicitReleaseAsJsonThenListBackupsAndReleases() throws Exception {
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
  @Order(3)
  void rollbackAcrossSchemaChangeIsRefusedWithExitOne() throws Exception {
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
  @Order(4)
  void backupCreateAndRestoreThroughTheCli() {
    Run c = run(new BackupCommand(ENV), "create", "web", "--host", "local");
    assertThat(c.code()).as(c.err()).isEqualTo(0);
    String id = c.out().replaceAll("(?s).*backup (\\S+): .*", "$1");
    Run r = run(new BackupCommand(ENV), "restore", "web", "--host", "local", id);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("restored events from " + id, "healthy again");
  }

  @Test
  @Order(5)
  void badInputGivesAClearErrorAndExitCode() throws Exception {
    Run unknownSystem = run(new DeployCommand(ENV), "shop", "--host", "local");
    assertThat(unknownSystem.code()).isEqualTo(1);
    assertThat(unknownSystem.err()).isEqualTo("gantry: unknown system 'shop'; the definition declares: web\n");

    Run unknownHost = run(new DeployCommand(ENV), "web", "--host", "prod");
    assertThat(unknownHost.err()).contains("unknown host 'prod'; the definition declares: local");

    Run badRelease = run(new DeployCommand(ENV), "web", "--host", "local", "--release", "app=");
    assertThat(badRelease.err()).contains("is not a valid image tag");

    Run usage = run(new DeployCommand(ENV), "web");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--host=HOST'");

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
    CommandLine cl = new CommandLine(new DeployCommand(ENV));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("web", "--host", "local", "--infra", notRepo.toString(), "--data", sb.dir.resolve("data").toString(),
        "--root", sb.root.toString(), "--prefix", sb.prefix);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("is not the top of a git repository");
  }

  @Test
  @Order(6)
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
    Run noSub = run(new BackupCommand(ENV));
    assertThat(noSub.code()).isEqualTo(2);
  }
}
