package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.cli.DeployCommand;
import dev.gantry.host.cli.CaCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Production as a Docker Swarm stack across two lab machines, each made by
 * {@code gantry cloud up} and spun by {@code gantry host spin}: the manager runs Docker, a
 * registry over TLS with a certificate of the team CA and {@code Docker.swarmManager}; the
 * worker trusts that CA and joins with {@code Docker.swarmWorkerOf}, its token from the vault.
 * Then {@code gantry deploy --swarm} of a system whose app runs two replicas, one on each
 * machine, behind an nginx front on the manager's lab address: a second release rolls out
 * under a steady request loop without a failed request, and a release that fails its health
 * check is rolled back. {@code gantry cloud down} removes both machines at the end.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabSwarmTest {
  private static final String MANAGER = LabTrace.uniqueName("swarm-m");
  private static final String WORKER = LabTrace.uniqueName("swarm-w");
  private static final String REGISTRY_PASSWORD = "swarm-registry-pw-81c3";
  private static final String SYSTEM = "shop";

  @TempDir static Path tmp;
  static Path key;
  static Path base;
  static Path repo;
  static Map<String, String> env;
  static Path knownHosts;
  static Gpg vaultKey;
  static String manager;
  static String worker;
  /** Whether the definition makes the swarm yet: the machines are first spun without it, to time its forming alone. */
  static boolean swarm;
  static LabRepo.Spin firstSpin;
  static final List<String> figures = new ArrayList<>();

  @BeforeAll
  static void upAndSpin() throws Exception {
    key = LabTrace.keyPair(tmp);
    base = LabTrace.machineRootfs();
    repo = LabRepo.create(tmp.resolve("infra-repo"), definition());
    vaultKey = Gpg.withKey("Swarm", "swarm@example.org");
    vault("add-key", vaultKey.publicKey(), "-");
    vault("set", REGISTRY_PASSWORD, "registry-password", "any");
    Cli.Run init = Cli.run(new CaCommand(), "init", "--name", "Swarm Team CA", "--infra", repo.toString());
    assertThat(init.code()).as(init.err()).isZero();
    env = Map.of("GANTRY_DATA_DIR", tmp.resolve("data").toString());
    knownHosts = tmp.resolve("known_hosts");
    manager = up(MANAGER);
    worker = up(WORKER);
    Files.writeString(repo.resolve("infra/Infra.java"), definition());
    long t0 = System.nanoTime();
    firstSpin = spin(MANAGER, WORKER);
    figure("first spin of both machines (Docker, registry over TLS, CA trust) %.1f s", t0);
    if (firstSpin.code() == 0) {
      LabImages.importInto(key, manager); // lab/nginx:1 for the front
      appImage("A", true);
      appImage("B", true);
      appImage("C", false);
      String registry = manager + ":5000";
      ssh(manager, "for r in A B C; do docker tag lab/app:$r " + registry + "/lab/app:$r && docker push -q " + registry
          + "/lab/app:$r >/dev/null || exit 1; done", Duration.ofMinutes(3));
    }
  }

  @AfterAll
  static void down() throws Exception {
    if (!figures.isEmpty()) {
      System.out.println("figures:\n  " + String.join("\n  ", figures) + "\n  load average here "
          + Files.readString(Path.of("/proc/loadavg")).strip());
    }
    if (vaultKey != null) {
      vaultKey.close();
    }
    if (repo == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (String host : List.of(WORKER, MANAGER)) {
      CliRun.Outcome down = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "down", host, "--yes");
      if (down.exitCode() != 0) {
        problems.add(host + ": " + down.out() + down.err());
      }
      assertThat(LabTrace.namespaces()).doesNotContain("gantry-" + host);
      assertThat(LabTrace.cgroupsOf(host)).isEmpty();
    }
    assertThat(problems).isEmpty();
    assertThat(LabTrace.mountsUnder(tmp.resolve("data"))).isEmpty();
  }

  @Test
  @Order(1)
  void twoMachinesFormASwarmFromTheirDefinition() throws Exception {
    assertThat(firstSpin.code()).as(firstSpin.out() + firstSpin.err()).isZero();
    assertThat(ssh(manager, "docker info --format '{{.Swarm.LocalNodeState}}'")).isEqualTo("inactive\n");

    swarm = true;
    Files.writeString(repo.resolve("infra/Infra.java"), definition());
    long t0 = System.nanoTime();
    LabRepo.Spin managed = spin(MANAGER);
    assertThat(managed.code()).as(managed.out() + managed.err()).isZero();
    assertThat(managed.out()).contains("docker swarm init --advertise-addr " + manager);
    long t1 = System.nanoTime();
    // the one step by hand: the manager's join token goes into the vault
    String token = ssh(manager, "docker swarm join-token -q worker").strip();
    vault("set", token, "swarm-worker-token", "any");
    long t2 = System.nanoTime();
    LabRepo.Spin joined = spin(WORKER);
    assertThat(joined.code()).as(joined.out() + joined.err()).isZero();
    assertThat(joined.out() + joined.err()).as("the token is never shown").doesNotContain(token);
    assertThat(joined.out()).contains("docker swarm join " + manager + ":2377 (token from the vault, not shown)");
    long t3 = System.nanoTime();
    figures.add("swarm formed by two spins: manager %.1f s, token to the vault %.1f s, worker %.1f s".formatted(
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));

    assertThat(ssh(manager, "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' | sort").lines().toList())
        .as("both machines are Ready nodes, one the leader").hasSize(2).allMatch(l -> l.contains(" Ready"))
        .anyMatch(l -> l.endsWith("Leader"));
    assertThat(ssh(worker, "docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'"))
        .isEqualTo("active false\n");

    // a spin with nothing new holds both: no second init, no second join
    LabRepo.Spin again = spin(MANAGER, WORKER);
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).doesNotContain("docker swarm init").doesNotContain("docker swarm join");
  }

  @Test
  @Order(2)
  void theStackSpreadsTheAppOverBothNodesBehindTheFrontOnTheManagersAddress() throws Exception {
    requireSwarm();
    long t0 = System.nanoTime();
    Deployed d = deploy("A");
    figure("first gantry deploy --swarm (release A) %.1f s", t0);
    assertThat(d.code()).as(d.out() + d.err()).isZero();

    assertThat(nodesOf("app")).as("the app's two tasks, one on each machine").containsExactlyInAnyOrder(MANAGER, WORKER);
    assertThat(nodesOf("frontend")).as("the front runs where its files are").containsExactly(MANAGER);
    assertThat(http(manager, "/")).isEqualTo("200 <h1>app release A</h1>");
    // the front reaches both tasks: the one on the worker over the overlay network
    Set<String> answered = new TreeSet<>();
    for (int i = 0; i < 40 && answered.size() < 2; i++) {
      answered.add(http(manager, "/cgi-bin/who"));
    }
    assertThat(answered).as("containers that answered through the front").hasSize(2).allMatch(a -> a.startsWith("200 "));
    String onWorker = ssh(worker, "docker ps --filter label=com.docker.swarm.service.name=" + project() + "_app"
        + " --format '{{.ID}}'").strip();
    assertThat(answered).as("the task on the worker answered through the front").contains("200 " + onWorker);
    // published in host mode: the front's port is on the manager only, no routing mesh on the worker
    assertThat(LabTrace.connects(worker, 80)).as("port 80 on the worker").isFalse();
  }

  @Test
  @Order(3)
  void aSecondReleaseRollsOutWithoutAFailedRequest() throws Exception {
    requireSwarm();
    Loop loop = Loop.start(manager, "/release.txt");
    Thread.sleep(1000);
    long t0 = System.nanoTime();
    Deployed d = deploy("B");
    long t1 = System.nanoTime();
    Thread.sleep(3000); // nginx looks the service up again every second
    List<Loop.Answer> answers = loop.stop();
    assertThat(d.code()).as(d.out() + d.err()).isZero();
    List<Loop.Answer> failed = answers.stream().filter(Loop.Answer::failed).toList();
    figures.add("rollout A to B: %.1f s; %d requests through the front, %d failed".formatted((t1 - t0) / 1e9, answers.size(),
        failed.size()));
    assertThat(answers).hasSizeGreaterThan(50);
    assertThat(failed).as("failed requests during the rollout").isEmpty();
    assertThat(answers.get(0).body()).isEqualTo("A");
    assertThat(answers.get(answers.size() - 1).body()).isEqualTo("B");
    // Swarm places each new task of a start-first update beside the old ones: both may land on one node
    figures.add("after the rollout the app's tasks run on " + nodesOf("app"));
    assertThat(nodesOf("app")).hasSize(2).allMatch(n -> n.equals(MANAGER) || n.equals(WORKER));
    assertThat(ssh(manager, "docker service inspect --format '{{json .Spec.UpdateConfig}}' " + project() + "_app"))
        .contains("\"FailureAction\":\"rollback\"", "\"Order\":\"start-first\"");
  }

  @Test
  @Order(4)
  void aReleaseThatFailsItsHealthCheckIsRolledBack() throws Exception {
    requireSwarm();
    Loop loop = Loop.start(manager, "/release.txt");
    long t0 = System.nanoTime();
    Deployed d = deploy("C");
    long t1 = System.nanoTime();
    Thread.sleep(2000);
    List<Loop.Answer> answers = loop.stop();
    List<Loop.Answer> failed = answers.stream().filter(Loop.Answer::failed).toList();
    figures.add("failed release C rolled back in %.1f s; %d requests, %d failed".formatted((t1 - t0) / 1e9, answers.size(),
        failed.size()));
    assertThat(d.code()).as(d.out() + d.err()).isNotZero();
    assertThat(d.out() + d.err()).contains("rolled back automatically to B");
    assertThat(failed).as("failed requests while C was tried").isEmpty();
    assertThat(answers).allMatch(a -> a.body().equals("B"));
    assertThat(http(manager, "/release.txt")).isEqualTo("200 B");
    assertThat(nodesOf("app")).hasSize(2);
  }

  private static void requireSwarm() {
    assertThat(swarm).as("the swarm was formed (see the first test)").isTrue();
    assertThat(ssh(manager, "docker node ls -q | wc -l").strip()).isEqualTo("2");
  }

  /** The nodes (host names) that run a task of {@code service} now. */
  private static List<String> nodesOf(String service) {
    return ssh(manager, "docker service ps " + project() + "_" + service
        + " --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'").lines()
        .filter(l -> l.contains(" Running ")).map(l -> l.split(" ")[0]).toList();
  }

  private static String project() {
    return SYSTEM + "-" + MANAGER;
  }

  record Deployed(int code, String out, String err) {}

  /** {@code gantry deploy shop --swarm --host MANAGER --release R}. */
  private static Deployed deploy(String release) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ErrorHandler.install(new CommandLine(new DeployCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(SYSTEM, "--swarm", "--host", MANAGER, "--release", release, "--infra", repo.toString(),
        "--data", tmp.resolve("ledger").toString(), "--ssh-key", key.toString(), "--known-hosts", knownHosts.toString(),
        "--health-timeout", "120");
    return new Deployed(code, out.toString(), err.toString());
  }

  private static String up(String host) {
    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", host);
    assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
    return up.out().replaceAll("(?s).*" + host + " is up at (\\S+) .*", "$1");
  }

  private static LabRepo.Spin spin(String... hosts) {
    List<String> more = new ArrayList<>(List.of(hosts).subList(1, hosts.length));
    more.addAll(List.of("--secret-key", vaultKey.secretKeyFile().toString()));
    return LabRepo.spin(repo, hosts[0], key, knownHosts, more.toArray(String[]::new));
  }

  private static void vault(String verb, String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of(verb));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--infra", repo.toString()));
    Cli.Run r = Cli.run(new VaultCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))),
        argv.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
  }

  /**
   * The two machines. The manager serves the registry over TLS (its certificate issued by the
   * team CA) and, once {@link #swarm}, manages the swarm; the worker trusts the CA but holds no
   * registry password: its pulls use the credentials the deploy sends with the stack.
   */
  private static String definition() throws IOException {
    String registry = manager + ":5000";
    String ca = repo != null && Files.exists(repo.resolve("ca/ca.crt")) ? Files.readString(repo.resolve("ca/ca.crt")).replace("\n", "\\n") : "";
    String managerSwarm = swarm ? "Docker.swarmManager(\"" + manager + "\")," : "";
    String workerSwarm = swarm ? "Docker.swarmWorkerOf(\"" + MANAGER + "\", SecretRef.of(\"swarm-worker-token\", \"any\"))," : "";
    String machines = manager == null ? "" : """
            var tls = DockerRegistry.tls("/etc/docker/registry/tls.crt", "/etc/docker/registry/tls.key");
            i.host("%1$s").provisionedBy(lab().authorizedKey(Path.of("%3$s")).rootfs(Path.of("%4$s")))
                .with(Apt.updated(), Docker.running(), Docker.composeInstalled(),
                      Apt.installed("docker-registry"),
                      Certificates.server("registry", "/etc/docker/registry/tls.crt", "/etc/docker/registry/tls.key", "%5$s")
                          .ownedBy("docker-registry", "docker-registry"),
                      DockerRegistry.serving(5000, tls, "ci", password),
                      DockerRegistry.trusting("%6$s", "%7$s"),
                      DockerRegistry.pullingFrom("%6$s", tls, "ci", password),
                      %8$s
                      Systemd.started("docker"))
                .runs(shop, "A");
            i.host("%2$s").provisionedBy(lab().authorizedKey(Path.of("%3$s")).rootfs(Path.of("%4$s")))
                .with(Apt.updated(), Docker.running(),
                      DockerRegistry.trusting("%6$s", "%7$s"),
                      %9$s
                      Systemd.started("docker"));
        """.formatted(MANAGER, WORKER, key + ".pub", base, manager, registry, ca, managerSwarm, workerSwarm);
    String placeholder = manager != null ? "" : """
            i.host("%1$s").provisionedBy(lab().authorizedKey(Path.of("%3$s")).rootfs(Path.of("%4$s")));
            i.host("%2$s").provisionedBy(lab().authorizedKey(Path.of("%3$s")).rootfs(Path.of("%4$s")));
        """.formatted(MANAGER, WORKER, key + ".pub", base);
    return """
        import static dev.gantry.cloud.Cloud.lab;

        import dev.gantry.core.infra.*;
        import dev.gantry.deploy.model.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.SecretRef;
        import java.nio.file.Path;
        import java.time.Duration;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            var password = SecretRef.of("registry-password", "any");
            var shop = i.add(GantrySystem.named("%s")
                .service("app", s -> s.image("%s/lab/app").port(8080).replicas(2)
                    .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).timeout(Duration.ofSeconds(2)).retries(3)))
                .frontend(Frontend.nginx().image("%s").listen("0.0.0.0", 80, 443).route("/", "app:8080")));
        %s%s  }
        }
        """.formatted(SYSTEM, manager == null ? "registry.invalid:5000" : manager + ":5000", LabImages.NGINX, machines,
        placeholder);
  }

  /**
   * {@code lab/app:RELEASE} in the manager's Docker: busybox httpd serving {@code /release.txt},
   * {@code /cgi-bin/who} (the container's host name, to tell tasks apart) and, when
   * {@code healthy}, {@code /health}.
   */
  private static void appImage(String release, boolean healthy) throws IOException {
    Path root = Files.createTempDirectory("gantry-swarm-image");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    for (String applet : List.of("sh", "httpd", "wget", "cat", "echo", "hostname", "sleep")) {
      Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("www/cgi-bin"));
    Files.writeString(root.resolve("www/index.html"), "<h1>app release " + release + "</h1>\n");
    Files.writeString(root.resolve("www/release.txt"), release + "\n");
    if (healthy) {
      Files.writeString(root.resolve("www/health"), "ok\n");
    }
    Path who = root.resolve("www/cgi-bin/who");
    Files.writeString(who, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\nhostname\n");
    who.toFile().setExecutable(true, false);
    ProcessResult r = Command.of("sh", "-c", "tar -C '" + root + "' -c . | ssh -i '" + key + "' -o StrictHostKeyChecking=no "
        + "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR root@" + manager
        + " \"docker import -c 'CMD [\\\"httpd\\\",\\\"-f\\\",\\\"-p\\\",\\\"8080\\\",\\\"-h\\\",\\\"/www\\\"]' - lab/app:"
        + release + " >/dev/null\" && rm -rf '" + root + "'").timeout(Duration.ofMinutes(2)).run();
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private static void figure(String format, long since) {
    figures.add(format.formatted((System.nanoTime() - since) / 1e9));
  }

  private static String ssh(String address, String command) {
    return ssh(address, command, Duration.ofSeconds(30));
  }

  private static String ssh(String address, String command, Duration limit) {
    return LabTrace.rootOutput(key, address, command, limit);
  }

  /** One GET over a fresh connection: "status body". */
  private static String http(String address, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, 80), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + address + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      String[] status = response.substring(0, Math.max(0, response.indexOf("\r\n"))).split(" ");
      return (status.length > 1 ? status[1] : "?") + " " + (end < 0 ? "" : response.substring(end + 4).strip());
    }
  }

  /**
   * A steady request loop through the front, one request on a fresh connection every 20 ms,
   * bounded to 5 minutes and 15,000 requests: every answer or failure, in order.
   */
  static final class Loop {
    record Answer(String status, String body, String error) {
      boolean failed() {
        return error != null || !status.equals("200");
      }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private Thread thread;

    static Loop start(String address, String path) {
      Loop l = new Loop();
      l.thread = Thread.ofPlatform().daemon().name("swarm-request-loop").start(() -> {
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!l.stop.get() && System.nanoTime() < end && l.answers.size() < 15_000) {
          try {
            String a = http(address, path);
            int sp = a.indexOf(' ');
            l.answers.add(new Answer(a.substring(0, sp), a.substring(sp + 1), null));
          } catch (IOException e) {
            l.answers.add(new Answer("", "", e.toString()));
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      return l;
    }

    List<Answer> stop() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
      return List.copyOf(answers);
    }
  }
}
