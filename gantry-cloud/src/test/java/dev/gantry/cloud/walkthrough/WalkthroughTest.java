package dev.gantry.cloud.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough as users run it: {@code examples/run.sh} brings the example company up from
 * nothing (four lab machines, Gantry's server, builder and monitor, capital through CI to
 * production and staging), then each promise of docs/walkthrough.md is checked against the real
 * machines: master holds the merged commit and CI's note, the registry the image tagged with
 * it, staging serves it with anonymized data (deployed by CI's staging step), production serves it through nginx on its lab
 * address and answered every request while it was deployed, the monitor holds every machine's
 * collectd, collectd stopping on a machine is one host-down alert at the demo's Slack receiver, a
 * small filesystem filled on production is one disk-full alert there,
 * a rollback to the release before (same schema) succeeds on production, and one across a
 * schema change is refused there.
 * {@code run.sh --down} at the end leaves no lab machine. Nothing here skips: a missing tool or
 * service fails run.sh, and so the test.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkthroughTest {
  private static final String PREFIX = LabTrace.uniqueName("walk");
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String[] ROLES = {"ci", "monitor", "staging", "production"};

  @TempDir static Path tmp;
  static Path work;
  static Map<String, String> env;
  static ProcessResult run;
  static final Map<String, String> address = new HashMap<>();
  static final Map<String, String> commits = new HashMap<>();
  static Path key;

  @BeforeAll
  static void bringTheCompanyUp() throws Exception {
    work = tmp.resolve("walk");
    env = Map.of("WALK_DIR", work.toString(), "WALK_PREFIX", PREFIX);
    run = Command.of(ROOT.resolve("examples/run.sh").toString()).env(env).timeout(Duration.ofMinutes(40)).run();
    System.out.println(run.stdout());
    System.err.println(run.stderr());
    key = work.resolve("ssh/id_ed25519");
    for (String role : ROLES) {
      Matcher m = Pattern.compile(PREFIX + "-" + role + " is up at (\\S+) ").matcher(run.stdout());
      if (m.find()) {
        address.put(role, m.group(1));
      }
    }
    Matcher m = Pattern.compile("master has ([0-9a-f]{12}).*production serves ([0-9a-f]{12})", Pattern.DOTALL).matcher(run.stdout());
    if (m.find()) {
      commits.put("first", m.group(1));
      commits.put("second", m.group(2));
    }
  }

  @AfterAll
  static void down() {
    ProcessResult down = Command.of(ROOT.resolve("examples/run.sh").toString(), "--down").env(env)
        .timeout(Duration.ofMinutes(5)).run();
    assertThat(down.exitCode()).as(down.stdout() + down.stderr()).isZero();
    for (String role : ROLES) {
      assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + PREFIX + "-" + role);
    }
    assertThat(work).doesNotExist();
  }

  @Test
  @Order(1)
  void oneCommandBringsEverythingUpAndSaysWhereToLook() {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(address).containsOnlyKeys(ROLES);
    assertThat(run.stdout()).contains("http://" + address.get("monitor") + ":8080/monitor",
        "http://" + address.get("production") + "/", "http://" + address.get("staging") + "/");
    // every stage says how long it took
    assertThat(run.stdout().lines().filter(l -> l.matches("\\[ *\\d+s\\] .*")).count()).isGreaterThanOrEqualTo(10);
  }

  @Test
  @Order(2)
  void masterHoldsTheMergedCommitAndItsNote() {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String master = ssh("ci", "git -C /srv/gantry/repos/app.git rev-parse master").strip();
    assertThat(master).startsWith(commits.get("second"));
    assertThat(ssh("ci", "git -C /srv/gantry/repos/app.git log --format=%s -3 master"))
        .contains("README: release 2", "README: release 1");
    assertThat(ssh("ci", "git -C /srv/gantry/repos/app.git notes show " + master)).as("CI's note on the merged commit")
        .isNotBlank();
  }

  @Test
  @Order(3)
  void theRegistryHasTheImageTaggedWithTheCommit() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String full = ssh("ci", "git -C /srv/gantry/repos/app.git rev-parse master").strip();
    String password = gantry("vault", "get", "registry-password", "any", "--infra", work.resolve("infra").toString(),
        "--secret-key", work.resolve("vault-secret.asc").toString());
    HttpResponse<String> tags = LabTrace.trusting(work.resolve("infra/ca/ca.crt")).send(HttpRequest.newBuilder(URI.create(
            "https://" + address.get("ci") + ":5000/v2/capital/app/tags/list"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
    assertThat(tags.body()).contains("\"" + full + "\"");
  }

  @Test
  @Order(4)
  void stagingServesTheReleaseWithAnonymizedProductionData() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String events = get("http://" + address.get("staging") + "/events?since=2000-01-01T00:00:00Z");
    assertThat(events).startsWith("200 ").contains("UserLoggedIn", "@example.invalid").doesNotContain("@example.com");
    assertThat(ssh("staging", "docker ps --format '{{.Image}}'")).contains("capital/app:" + fullCommit());
    // CI's staging step did it: the agent's own ledger records the clone of the merged commit
    String agentLedger = ssh("ci", "docker exec gantry-agent-ci-builder cat /var/lib/gantry-agent/deploy/data/deploy/ledger.jsonl");
    assertThat(agentLedger.lines().filter(l -> l.contains("\"CLONE\"") && l.contains(fullCommit())).toList())
        .as("the agent's ledger: " + agentLedger).hasSize(1);
  }

  @Test
  @Order(5)
  void productionServesThroughNginxAndAnsweredEveryRequestWhileDeployed() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(get("http://" + address.get("production") + "/health")).startsWith("200 ").contains("\"status\":\"ok\"");
    assertThat(ssh("production", "docker ps --format '{{.Image}}'")).contains("capital/app:" + fullCommit(), "capital/nginx:stable");
    // capital's volume is shared: the new release starts beside the old one, and nginx switches
    assertThat(Files.readString(work.resolve("timings.figures"))).containsPattern("deploy_requests=[1-9]\\d* deploy_failed_requests=0\n");
    assertThat(Files.readAllLines(work.resolve("load"))).isNotEmpty().allMatch("200"::equals);
  }

  @Test
  @Order(6)
  void theMonitorHoldsEveryMachinesCollectdAndTheApplicationsRequests() {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    for (String role : ROLES) {
      String events = gantry("monitor", "query", "host = \"" + PREFIX + "-" + role + "\"", "--server", address.get("monitor") + ":5555");
      assertThat(events).as(role).contains("cpu-", "memory", "load", "df-root");
    }
    assertThat(gantry("monitor", "query", "service = \"capital http\"", "--server", address.get("monitor") + ":5555"))
        .as("capital's requests, sent over UDP by the application").isNotBlank();
  }

  @Test
  @Order(7)
  void collectdStoppingOnAMachineIsOneHostDownAlertAtSlack() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String staging = PREFIX + "-staging";
    ssh("staging", "systemctl stop collectd");
    String received = "";
    for (long end = System.nanoTime() + Duration.ofMinutes(3).toNanos(); System.nanoTime() < end; Thread.sleep(2000)) {
      received = ssh("monitor", "cat /var/log/slack-receiver.jsonl 2>/dev/null || true");
      if (received.contains("host-down") && received.contains(staging)) {
        break;
      }
    }
    List<String> alerts = received.lines().filter(l -> l.contains("host-down") && l.contains(staging)).toList();
    assertThat(alerts).as("Slack received: " + received).hasSize(1);
    for (String role : List.of("ci", "monitor", "production")) {
      assertThat(received).as("no host-down for " + role).doesNotContain("host-down on " + PREFIX + "-" + role);
    }
    ssh("staging", "systemctl start collectd");
  }

  @Test
  @Order(8)
  void fillingASmallFilesystemOnProductionIsOneDiskFullAlertAtSlack() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String production = PREFIX + "-production";
    // a small filesystem of its own (collectd reports every filesystem a person can fill, tmpfs too)
    ssh("production", "mkdir -p /srv/full && mount -t tmpfs -o size=8m walkthrough-full /srv/full"
        + " && (dd if=/dev/zero of=/srv/full/fill bs=1M count=8 2>/dev/null || true)");
    try {
      String received = "";
      for (long end = System.nanoTime() + Duration.ofMinutes(3).toNanos(); System.nanoTime() < end; Thread.sleep(2000)) {
        received = ssh("monitor", "cat /var/log/slack-receiver.jsonl 2>/dev/null || true");
        if (received.lines().anyMatch(l -> l.contains("disk-full") && l.contains(production))) {
          break;
        }
      }
      List<String> alerts = received.lines().filter(l -> l.contains("disk-full") && l.contains(production)).toList();
      if (alerts.isEmpty()) {
        // what the monitor holds of the filesystem, and what it logged, to tell the two ends apart
        received += "\nthe monitor's df events of production:\n"
            + gantryRun("monitor", "query", "host = \"" + production + "\" and service =~ \"df-%\"", "--server",
                address.get("monitor") + ":5555").stdout()
            + "\nthe monitor's log:\n" + ssh("monitor", "journalctl -u gantry-monitor -n 40 --no-pager || true");
      }
      assertThat(alerts).as("Slack received: " + received).hasSize(1);
      assertThat(alerts.get(0)).contains("srv-full");
      assertThat(received.lines().filter(l -> l.contains("disk-full")).toList()).as("no other machine's disk is full")
          .allMatch(l -> l.contains(production));
    } finally {
      ssh("production", "umount /srv/full");
    }
  }

  @Test
  @Order(9)
  void aRollbackWithTheSameSchemaSucceedsOnProduction() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String first = ssh("ci", "git -C /srv/gantry/repos/app.git rev-parse master~1").strip();
    assertThat(first).startsWith(commits.get("first"));
    String out = gantry("rollback", "capital", "--host", PREFIX + "-production", "--to", first,
        "--infra", work.resolve("infra").toString(), "--data", work.resolve("ledger").toString(),
        "--ssh-key", key.toString(), "--known-hosts", work.resolve("ssh/known_hosts").toString());
    assertThat(out).contains(first.substring(0, 7));
    assertThat(ssh("production", "docker ps --format '{{.Image}}'")).contains("capital/app:" + first);
    assertThat(get("http://" + address.get("production") + "/health")).startsWith("200 ");
  }

  @Test
  @Order(10)
  void aRollbackAcrossASchemaChangeIsRefusedOnProduction() throws Exception {
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    String first = ssh("ci", "git -C /srv/gantry/repos/app.git rev-parse master~1").strip();
    String second = fullCommit();
    // the release after declares schema 2: the deploy records it in the ledger
    Path infraJava = work.resolve("infra/infra/Infra.java");
    String definition = Files.readString(infraJava);
    assertThat(definition).contains(".eventSchema(1)");
    Files.writeString(infraJava, definition.replace(".eventSchema(1)", ".eventSchema(2)"));
    gantry("deploy", "capital", "--host", PREFIX + "-production", "--release", second, "--infra", work.resolve("infra").toString(),
        "--data", work.resolve("ledger").toString(), "--ssh-key", key.toString(),
        "--known-hosts", work.resolve("ssh/known_hosts").toString());
    curl("production", "POST", "/orders?user=carol@example.com&amount=7");

    ProcessResult refused = gantryRun("rollback", "capital", "--host", PREFIX + "-production", "--to", first,
        "--infra", work.resolve("infra").toString(), "--data", work.resolve("ledger").toString(),
        "--ssh-key", key.toString(), "--known-hosts", work.resolve("ssh/known_hosts").toString());
    assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
    assertThat(refused.stdout() + refused.stderr()).containsIgnoringCase("roll forward");
    assertThat(ssh("production", "docker ps --format '{{.Image}}'")).as("production keeps its release")
        .contains("capital/app:" + second);
    assertThat(get("http://" + address.get("production") + "/health")).startsWith("200 ");
  }

  private static void curl(String role, String method, String path) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://" + address.get(role) + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
  }

  private static String fullCommit() {
    return ssh("ci", "git -C /srv/gantry/repos/app.git rev-parse master").strip();
  }

  /** {@code ./gantry ARGS} with the walkthrough's environment, which must succeed; its output. */
  private static String gantry(String... args) {
    ProcessResult r = gantryRun(args);
    assertThat(r.exitCode()).as(args[0] + " " + args[1] + ": " + r.stderr()).isZero();
    return r.stdout();
  }

  private static ProcessResult gantryRun(String... args) {
    List<String> argv = new ArrayList<>(List.of(ROOT.resolve("gantry").toString()));
    argv.addAll(List.of(args));
    return Command.of(argv).env(Map.of("GANTRY_DATA_DIR", work.resolve("data").toString(),
        "GNUPGHOME", work.resolve("gnupg").toString())).timeout(Duration.ofMinutes(5)).run();
  }

  private static String ssh(String role, String command) {
    return LabTrace.rootOutput(key, address.get(role), command, Duration.ofMinutes(2));
  }

  private static String get(String url) throws Exception {
    return LabTrace.get(url);
  }
}
