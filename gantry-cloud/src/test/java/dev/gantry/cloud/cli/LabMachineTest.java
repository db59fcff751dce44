package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.ci.steps.ImagePush;
import dev.gantry.ci.steps.ImageSteps;
import dev.gantry.ci.steps.RegistryLogin;
import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.cli.DeployCommand;
import dev.gantry.host.cli.CaCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One real lab machine, made by {@code gantry cloud up} and spun once by {@code gantry host spin}
 * for all tests here: properties that need a booted host (packages from the cache on this
 * machine, Docker Engine and docker-compose, a unit of our own enabled, started and restarted on
 * change, the nftables firewall, a user with sudo, collectd configured and enabled, a private
 * registry with its password from the vault, and the machine's Docker logged in to it; later the
 * registry over TLS with a certificate of the team CA, {@code gantry ca init}, issued by the spin), then
 * {@code gantry deploy} of a system onto its Docker, answering through nginx on the machine's
 * address. collectd on the machine reports to a monitor run here on the host side of its veth.
 * Gantry's own images, built here by {@code scripts/gantry-image}, go through the registry and run
 * as the server and agent containers of {@link dev.gantry.host.lib.GantryContainers}; a CI image
 * step builds on the machine's Docker and pushes to its registry. {@code gantry cloud down} at the
 * end leaves no namespace, cgroup or mount.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabMachineTest {
  private static final String HOST = LabTrace.uniqueName("lab-machine");
  private static final String REGISTRY_PASSWORD = "lab-registry-pw-4d1e";
  private static final String AGENT_TOKEN = "lab-agent-token-7c2f9a61";

  @TempDir static Path tmp;
  static Path key;
  static Path base;
  static Path repo;
  static Map<String, String> env;
  static Path knownHosts;
  static String address;
  static String here;
  static LabRepo.Spin firstSpin;
  static Gpg vaultKey;
  /** What the definition says now: the tests run in order, each spin building on the last. */
  static String greeting = "one";
  static boolean registryTls;
  /** Which of Gantry's containers the definition runs: none, the server, or the server and an agent. */
  static int gantryContainers;
  /** Receives what collectd on the machine sends, on the host side of its veth only. */
  static MonitorService monitor;
  static SimpleMeterRegistry monitorMetrics = new SimpleMeterRegistry();

  @BeforeAll
  static void upAndSpin() throws Exception {
    key = LabTrace.keyPair(tmp);
    base = LabTrace.machineRootfs();
    repo = LabRepo.create(tmp.resolve("infra-repo"), definition("127.0.0.1", "127.0.0.1"));
    vaultKey = Gpg.withKey("Lab", "lab@example.org");
    Cli.Run add = Cli.run(new VaultCommand(new ByteArrayInputStream(vaultKey.publicKey().getBytes(StandardCharsets.UTF_8))),
        "add-key", "-", "--infra", repo.toString());
    assertThat(add.code()).as(add.err()).isZero();
    Cli.Run set = Cli.run(new VaultCommand(new ByteArrayInputStream(REGISTRY_PASSWORD.getBytes(StandardCharsets.UTF_8))),
        "set", "registry-password", "any", "--infra", repo.toString());
    assertThat(set.code()).as(set.err()).isZero();
    Cli.Run token = Cli.run(new VaultCommand(new ByteArrayInputStream(AGENT_TOKEN.getBytes(StandardCharsets.UTF_8))),
        "set", "agent-token", "any", "--infra", repo.toString());
    assertThat(token.code()).as(token.err()).isZero();
    env = Map.of("GANTRY_DATA_DIR", tmp.resolve("data").toString());
    knownHosts = tmp.resolve("known_hosts");
    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", HOST);
    assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
    assertThat(up.out()).contains("lab machine " + HOST + ": systemd running");
    address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
    here = address.replaceAll("\\.2$", ".1");
    monitor = MonitorService.start(MonitorSettings.defaults().withBind(here).withTcpPort(0).withUdpPort(-1)
        .withBuiltinRules(false), tmp.resolve("monitor"), monitorMetrics, Clock.systemUTC());
    Files.writeString(repo.resolve("infra/Infra.java"), definition(address, here));
    firstSpin = spin();
    if (firstSpin.code() == 0) {
      LabImages.importInto(key, address);
    }
  }

  static LabRepo.Spin spin() {
    return LabRepo.spin(repo, HOST, key, knownHosts, "--secret-key", vaultKey.secretKeyFile().toString());
  }

  @AfterAll
  static void down() throws Exception {
    if (monitor != null) {
      monitor.close();
    }
    if (vaultKey != null) {
      vaultKey.close();
    }
    if (repo == null) {
      return;
    }
    CliRun.Outcome down = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "down", HOST, "--yes");
    assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
    assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + HOST);
    assertThat(LabTrace.cgroupsOf(HOST)).isEmpty();
    assertThat(LabTrace.mountsUnder(tmp.resolve("data"))).isEmpty();
    assertThat(LabTrace.nspawnStateExists(HOST)).isFalse();
  }

  @Test
  @Order(1)
  void servicesDockerFirewallSudoAndCollectdHold() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    assertThat(firstSpin.out()).contains(" 0 failed");
    assertThat(ssh("systemctl is-active docker nftables hello; systemctl is-enabled hello collectd"))
        .isEqualTo("active\nactive\nactive\nenabled\nenabled\n");
    assertThat(ssh("collectd -t && grep -A2 'Node \"gantry\"' /etc/collectd/collectd.conf")).contains("Host \"" + here + "\"");

    // the firewall: 22 open, a listener on another port unreachable from here
    ssh("systemd-run --quiet --unit=probe9000 python3 -m http.server 9000");
    assertThat(ssh("for i in $(seq 50); do python3 -c 'import urllib.request;"
        + "print(urllib.request.urlopen(\"http://127.0.0.1:9000/\").status)' 2>/dev/null && exit; sleep 0.1; done"))
        .as("the listener answers inside the machine").isEqualTo("200\n");
    assertThat(LabTrace.connects(address, 9000)).as("port 9000 is dropped by the firewall").isFalse();
    assertThat(LabTrace.connects(address, 22)).isTrue();

    // sudo for the user, and the unit restarted when its file changes
    assertThat(ssh("su - ops -c 'sudo -n id -un'")).isEqualTo("root\n");
    String pid = ssh("systemctl show -p MainPID --value hello");
    greeting = "two";
    Files.writeString(repo.resolve("infra/Infra.java"), definition(address, here));
    LabRepo.Spin second = spin();
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains(" 0 failed");
    assertThat(ssh("systemctl show -p MainPID --value hello")).isNotEqualTo(pid);
    assertThat(ssh("cat /run/hello")).isEqualTo("two\n");
  }

  @Test
  @Order(2)
  void aSystemDeployedOntoTheMachineAnswersThroughNginxOnItsAddress() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();

    deploy("web");

    assertThat(get("http://" + address + "/")).isEqualTo("200 <h1>app release A</h1>");
    // reloading the firewall replaces Gantry's table only: Docker's NAT still forwards port 80
    ssh("systemctl reload nftables");
    assertThat(ssh("nft list tables")).contains("table inet gantry");
    assertThat(get("http://" + address + "/")).isEqualTo("200 <h1>app release A</h1>");
    assertThat(ssh("docker ps --format '{{.Names}}' | sort")).contains("frontend", "app");
    // the machine's systemd starts the system at boot
    assertThat(ssh("systemctl is-enabled gantry-web-" + HOST + ".service")).isEqualTo("enabled\n");
  }

  @Test
  @Order(3)
  void aPrivateRegistryServesImagesToItsAuthenticatedClientsOnly() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    String registry = address + ":5000";
    assertThat(ssh("systemctl is-active docker-registry")).isEqualTo("active\n");
    assertThat(ssh("docker tag lab/app:A " + registry + "/lab/app:A && docker push -q " + registry + "/lab/app:A >/dev/null"
        + " && docker rmi -f " + registry + "/lab/app:A >/dev/null && docker pull -q " + registry + "/lab/app:A"))
        .isEqualTo(registry + "/lab/app:A\n");

    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI catalog = URI.create("http://" + registry + "/v2/_catalog");
    assertThat(c.send(HttpRequest.newBuilder(catalog).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .as("without credentials").isEqualTo(401);
    String wrong = "Basic " + Base64.getEncoder().encodeToString("ci:wrong".getBytes(StandardCharsets.UTF_8));
    assertThat(c.send(HttpRequest.newBuilder(catalog).header("Authorization", wrong).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("with a wrong password").isEqualTo(401);
    String right = "Basic " + Base64.getEncoder().encodeToString(("ci:" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> listed = c.send(HttpRequest.newBuilder(catalog).header("Authorization", right).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("\"lab/app\"");
    assertThat(ssh("stat -c '%a %U:%G' /etc/docker/registry/htpasswd /root/.docker/config.json"))
        .isEqualTo("640 root:docker-registry\n600 root:root\n");

    // a system whose image is only in the registry: the deploy pulls it on the machine, and
    // the ledger records the registry's digest
    ssh("docker rmi -f " + registry + "/lab/app:A >/dev/null");
    String out = deploy("pulled", "--json");
    assertThat(ssh("docker image inspect --format '{{index .RepoDigests 0}}' " + registry + "/lab/app:A"))
        .startsWith(registry + "/lab/app@sha256:");
    assertThat(out).contains(registry + "/lab/app@sha256:");
    assertThat(get("http://" + address + ":8088/")).as("the pulled release through its nginx front")
        .isEqualTo("200 <h1>app release A</h1>");
  }

  @Test
  @Order(4)
  void theRegistryMovedToTlsServesClientsThatTrustItsCa() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    // the team's CA (gantry ca init): the spin issues the registry's certificate on this machine
    Cli.Run init = Cli.run(new CaCommand(), "init", "--name", "Lab Team CA", "--infra", repo.toString());
    assertThat(init.code()).as(init.err()).isZero();
    Path pki = Files.createDirectories(tmp.resolve("pki"));
    Files.copy(repo.resolve("ca/ca.crt"), pki.resolve("ca.pem"));
    registryTls = true;
    Files.writeString(repo.resolve("infra/Infra.java"), definition(address, here));
    LabRepo.Spin spun = spin();
    assertThat(spun.code()).as(spun.out() + spun.err()).isZero();
    assertThat(spun.out()).contains(" 0 failed");

    // the plain-HTTP setting of the earlier spin goes, so the pull below can only be over TLS
    String registry = address + ":5000";
    assertThat(ssh("rm -f /etc/docker/daemon.json && systemctl restart docker && docker tag lab/app:A " + registry
        + "/lab/app:tls && docker push -q " + registry + "/lab/app:tls >/dev/null && docker rmi -f " + registry
        + "/lab/app:tls >/dev/null && docker pull -q " + registry + "/lab/app:tls"))
        .isEqualTo(registry + "/lab/app:tls\n");

    HttpClient c = LabTrace.trusting(tmp.resolve("pki").resolve("ca.pem"));
    URI catalog = URI.create("https://" + registry + "/v2/_catalog");
    assertThat(c.send(HttpRequest.newBuilder(catalog).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .as("over TLS without credentials").isEqualTo(401);
    String right = "Basic " + Base64.getEncoder().encodeToString(("ci:" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(c.send(HttpRequest.newBuilder(catalog).header("Authorization", right).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("\"lab/app\"");
    assertThat(get("http://" + registry + "/v2/")).as("plain HTTP is refused now").startsWith("400 ");
  }

  @Test
  @Order(5)
  void collectdOnTheMachineKeepsReportingToTheMonitorHere() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    assertThat(ssh("systemctl is-active collectd")).isEqualTo("active\n");

    List<Event> first = awaitCollectdEvents();
    assertThat(first).extracting(Event::service)
        .anyMatch(s -> s.startsWith("cpu-")).anyMatch(s -> s.startsWith("load")).anyMatch(s -> s.startsWith("memory"));
    double receivedBefore = received();
    long loadBefore = loadTime(first);
    Thread.sleep(6_000);
    List<Event> second = monitor.engine().call(c -> c.query("host = \"" + HOST + "\"")).get();
    assertThat(received()).as("events keep arriving over TCP").isGreaterThan(receivedBefore);
    assertThat(loadTime(second)).as("a newer load reading from " + HOST).isGreaterThan(loadBefore);
    assertThat(second).allMatch(e -> e.tagged("collectd"));
  }

  @Test
  @Order(6)
  void aCiImageStepBuildsOnTheMachinesDockerAndPushesTheCommitsTagToItsRegistry() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    String registry = address + ":5000";
    String commit = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee01";
    Path workspace = Files.createDirectories(tmp.resolve("ci-workspace"));
    Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
    Files.writeString(workspace.resolve("hello.txt"), "hello from " + commit + "\n");
    ImagePush image = ImagePush.to(registry, "lab/hello").login(RegistryLogin.fromEnv("REGISTRY_USER", "REGISTRY_PASSWORD"));
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    try (DockerForward docker = DockerForward.open(key, address, tmp.resolve("docker-forward"))) {
      Map<String, String> stepEnv = new HashMap<>(System.getenv());
      stepEnv.putAll(Map.of("GANTRY_COMMIT", commit, "DOCKER_HOST", docker.dockerHost(),
          "REGISTRY_USER", "ci", "REGISTRY_PASSWORD", REGISTRY_PASSWORD));
      ImageSteps.buildAndPush(image, workspace, stepEnv, log::add);

      assertThat(tagsOf(registry, "lab/hello")).contains("\"" + commit + "\"");
      assertThat(String.join("\n", log)).as("the password is never logged").doesNotContain(REGISTRY_PASSWORD)
          .contains("[image] pushed " + registry + "/lab/hello:" + commit);

      Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\nCOPY no-such-file /\n");
      String failing = "f00d00000000000000000000000000000000f00d";
      stepEnv.put("GANTRY_COMMIT", failing);
      assertThatThrownBy(() -> ImageSteps.buildAndPush(image, workspace, stepEnv, log::add))
          .as("a failing build fails the step").hasMessageStartingWith("building image " + registry + "/lab/hello:" + failing);
      assertThat(tagsOf(registry, "lab/hello")).contains(commit).doesNotContain(failing);
    }
  }

  @Test
  @Order(7)
  void gantrysServerAndAgentRunAsContainersPulledFromTheRegistry() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    String registry = address + ":5000";
    // Gantry's images, built here into the machine's Docker, pushed to its registry, removed and pulled back
    long t0 = System.nanoTime();
    ProcessResult built = Command.of(Path.of("").toAbsolutePath().getParent().resolve("scripts/gantry-image").toString(),
            "--ssh", "root@" + address, "-i", key.toString(), "--known-hosts", knownHosts.toString(), "--tag", "lab")
        .timeout(Duration.ofMinutes(15)).run();
    assertThat(built.exitCode()).as(built.stdout() + built.stderr()).isZero();
    long t1 = System.nanoTime();
    ssh("for i in server agent; do docker tag gantry/$i:lab " + registry + "/gantry/$i:lab"
        + " && docker push -q " + registry + "/gantry/$i:lab >/dev/null || exit 1; done", Duration.ofMinutes(5));
    long t2 = System.nanoTime();
    ssh("docker rmi -f gantry/server:lab gantry/agent:lab gantry/jre:lab " + registry + "/gantry/server:lab "
        + registry + "/gantry/agent:lab >/dev/null && docker image prune -f >/dev/null", Duration.ofMinutes(2));
    long t3 = System.nanoTime();
    ssh("docker pull -q " + registry + "/gantry/server:lab >/dev/null && docker pull -q " + registry + "/gantry/agent:lab >/dev/null",
        Duration.ofMinutes(5));
    long t4 = System.nanoTime();
    System.out.printf("figure: scripts/gantry-image into the machine %.1f s, push of server and agent %.1f s, pull of both %.1f s;"
        + " load average here %s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t4 - t3) / 1e9,
        Files.readString(Path.of("/proc/loadavg")).strip());

    gantryContainers = 1;
    Files.writeString(repo.resolve("infra/Infra.java"), definition(address, here));
    LabRepo.Spin server = spin();
    assertThat(server.code()).as(server.out() + server.err()).isZero();
    assertThat(server.out()).contains(" 0 failed");
    assertThat(awaitOk("http://" + address + ":8080/healthz", Duration.ofMinutes(3))).contains("\"status\":\"ok\"");

    gantryContainers = 2;
    Files.writeString(repo.resolve("infra/Infra.java"), definition(address, here));
    LabRepo.Spin agent = spin();
    assertThat(agent.code()).as(agent.out() + agent.err()).isZero();
    assertThat(agent.out()).contains(" 0 failed");
    assertThat(agent.out() + agent.err()).doesNotContain(AGENT_TOKEN);
    assertThat(ssh("stat -c '%a %U' /etc/gantry/agent-lab-agent.env /etc/gantry/server.env")).isEqualTo("600 root\n600 root\n");
    assertThat(ssh("ps -eo args")).as("the token is on no command line").doesNotContain(AGENT_TOKEN);
    JsonNode online = null;
    for (long end = System.nanoTime() + Duration.ofMinutes(2).toNanos(); online == null && System.nanoTime() < end; ) {
      JsonNode agents = new ObjectMapper().readTree(awaitOk("http://" + address + ":8080/api/ci/status", Duration.ofSeconds(30)))
          .path("agents");
      online = StreamSupport.stream(agents.spliterator(), false)
          .filter(a -> a.path("name").asText().equals("lab-agent") && a.path("online").asBoolean()).findFirst().orElse(null);
      Thread.sleep(online == null ? 1000 : 0);
    }
    assertThat(online).as("the server lists lab-agent as online; agent log: "
        + LabTrace.ssh(key, "root", address, "journalctl -u gantry-agent-lab-agent --no-pager | tail -20").stdout()).isNotNull();
    assertThat(online.path("capabilities").toString()).contains("docker");

    // a spin with nothing new changes nothing: the server keeps running
    String pid = ssh("systemctl show -p MainPID --value gantry-server");
    LabRepo.Spin again = spin();
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(ssh("systemctl show -p MainPID --value gantry-server")).isEqualTo(pid);
  }

  private static List<Event> awaitCollectdEvents() throws Exception {
    List<Event> events = List.of();
    for (long end = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; Thread.sleep(500)) {
      events = monitor.engine().call(c -> c.query("host = \"" + HOST + "\"")).get();
      if (events.stream().anyMatch(e -> e.service().startsWith("load"))) {
        return events;
      }
    }
    throw new AssertionError("no load event from " + HOST + " reached the monitor on " + here + ":" + monitor.tcpPort()
        + " in 60 s; indexed: " + events + "; collectd: "
        + LabTrace.ssh(key, "root", address, "journalctl -u collectd --no-pager | tail -20").stdout());
  }

  private static long loadTime(List<Event> events) {
    return events.stream().filter(e -> e.service().startsWith("load")).mapToLong(Event::timeMicros).max().orElseThrow();
  }

  private static double received() {
    var c = monitorMetrics.find("gantry.monitor.events.received").tag("transport", "tcp").counter();
    return c == null ? 0 : c.count();
  }

  /** The registry's tag list of {@code name}, over TLS with the credentials. */
  private static String tagsOf(String registry, String name) throws Exception {
    HttpResponse<String> r = LabTrace.trusting(tmp.resolve("pki").resolve("ca.pem")).send(HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/" + name
        + "/tags/list")).header("Authorization", basic("ci", REGISTRY_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Gantry's image {@code kind} as the machine pulls it from its registry. */
  private static String gantryImage(String kind) {
    return address + ":5000/gantry/" + kind + ":lab";
  }

  /** The body of {@code url} once it answers 200, polling until {@code limit}. */
  private static String awaitOk(String url, Duration limit) throws Exception {
    String last = "";
    for (long end = System.nanoTime() + limit.toNanos(); System.nanoTime() < end; Thread.sleep(1000)) {
      try {
        last = get(url);
        if (last.startsWith("200 ")) {
          return last.substring(4);
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
    }
    throw new AssertionError(url + " did not answer 200 within " + limit + ": " + last + "; server log: "
        + LabTrace.ssh(key, "root", address, "journalctl -u gantry-server --no-pager | tail -30").stdout());
  }

  /** {@code gantry deploy SYSTEM} onto the machine, which must succeed; what it printed. */
  private static String deploy(String system, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new DeployCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of(system, "--host", HOST, "--infra", repo.toString(), "--data",
        tmp.resolve("ledger").toString(), "--ssh-key", key.toString(), "--known-hosts", knownHosts.toString(),
        "--health-timeout", "60"));
    args.addAll(List.of(more));
    int code = cl.execute(args.toArray(String[]::new));
    assertThat(code).as(out + "\n" + err).isZero();
    return out.toString();
  }

  /**
   * The machine's definition: its Docker pulling from the registry it serves at {@code machine},
   * collectd reporting to {@code monitorHost}, the unit writing {@code greeting}, the system web,
   * and as many of Gantry's containers as {@link #gantryContainers} says.
   */
  private static String definition(String machine, String monitorHost) {
    String transport = registryTls
        ? "DockerRegistry.tls(\"/etc/docker/registry/tls.crt\", \"/etc/docker/registry/tls.key\")"
        : "DockerRegistry.insecureOnPrivateNetwork()";
    String tlsFiles = !registryTls ? "" : """
        Apt.installed("docker-registry"),
        Certificates.server("registry", "/etc/docker/registry/tls.crt", "/etc/docker/registry/tls.key", "%1$s")
            .ownedBy("docker-registry", "docker-registry"),
        DockerRegistry.trusting("%1$s:5000", "%2$s"),
        """.formatted(machine, pem("ca.pem"));
    String containers = switch (gantryContainers) {
      case 0 -> "";
      case 1 -> "GantryContainers.server(\"%1$s\", 8080, \"gantry-data\", GantryContainers.plainHttpOnPrivateNetwork(), token),".formatted(gantryImage("server"));
      default -> ("GantryContainers.server(\"%1$s\", 8080, \"gantry-data\", GantryContainers.plainHttpOnPrivateNetwork(), token),"
          + " GantryContainers.agent(\"%2$s\", \"http://127.0.0.1:8080\", token, \"lab-agent\", \"linux\", \"docker\"),")
          .formatted(gantryImage("server"), gantryImage("agent"));
    };
    return """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.SecretRef;
        import dev.gantry.core.target.FileAttrs;
        import java.nio.file.Path;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var password = SecretRef.of("registry-password", "any");
            var token = SecretRef.of("agent-token", "any");
            var web = i.add(GantrySystem.named("web")
                .service("app", s -> s.image("%s").port(8080).health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
                .frontend(Frontend.nginx().image("%s").listen("0.0.0.0", 80, 443).route("/", "app:8080")));
            var pulled = i.add(GantrySystem.named("pulled")
                .service("app", s -> s.image("%s:5000/lab/app").port(8080)
                    .health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
                .frontend(Frontend.nginx().image("%s").listen("0.0.0.0", 8088, 8443).route("/", "app:8080")));
            i.host("%s")
                .provisionedBy(lab().authorizedKey(Path.of("%s")).rootfs(Path.of("%s")))
                .with(Apt.updated(),
                      Nftables.allowingTcp(22, 5000), Systemd.started("nftables"),
                      Docker.running(), Docker.composeInstalled(),
                      %s
                      DockerRegistry.serving(5000, %s, "ci", password),
                      DockerRegistry.pullingFrom("%s:5000", %s, "ci", password),
                      User.exists("ops"), User.hasSudo("ops"),
                      Systemd.unit("hello.service", "[Service]\\nExecStart=/bin/sh -c 'echo %s > /run/hello; exec sleep infinity'\\n"
                          + "[Install]\\nWantedBy=multi-user.target\\n").onChange(Systemd.restarted("hello")),
                      Systemd.enabled("hello"), Systemd.started("hello"),
                      Collectd.reportingTo("%s", %d, Duration.ofSeconds(2)).onChange(Systemd.restarted("collectd")),
                      %s
                      Systemd.started("collectd"))
                .runs(web, "A").runs(pulled, "A");
          }
        }
        """.formatted(LabImages.APP, LabImages.NGINX, machine, LabImages.NGINX, HOST, key + ".pub", base, tlsFiles, transport, machine, transport,
            greeting, monitorHost, monitor == null ? 5555 : monitor.tcpPort(), containers);
  }

  /** A PEM file of the test's PKI as the body of a Java string literal (the definition is compiled on the host too). */
  private static String pem(String name) {
    try {
      return Files.readString(tmp.resolve("pki").resolve(name)).replace("\n", "\\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String ssh(String command) {
    return ssh(command, Duration.ofSeconds(30));
  }

  private static String ssh(String command, Duration limit) {
    return LabTrace.rootOutput(key, address, command, limit);
  }

  private static String get(String url) throws Exception {
    return LabTrace.get(url);
  }
}
