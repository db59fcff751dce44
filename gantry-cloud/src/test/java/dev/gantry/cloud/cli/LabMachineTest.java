package dev.gantry.cloud.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.lab.LabTrace;
import dev.gantry.core.cli.ErrorHandler;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.cli.DeployCommand;
import dev.gantry.host.cli.VaultCommand;
import dev.gantry.host.testing.Cli;
import dev.gantry.host.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.List;
import java.util.Map;
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
 * registry with its password from the vault, and the machine's Docker logged in to it), then
 * {@code gantry deploy} of a system onto its Docker, answering through nginx on the machine's
 * address. {@code gantry cloud down} at the end leaves no namespace, cgroup or mount.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabMachineTest {
  private static final String HOST = LabTrace.uniqueName("lab-machine");
  private static final int MONITOR_PORT = 5555;
  private static final String REGISTRY_PASSWORD = "lab-registry-pw-4d1e";

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
    env = Map.of("GANTRY_DATA_DIR", tmp.resolve("data").toString());
    knownHosts = tmp.resolve("known_hosts");
    CliRun.Outcome up = CliRun.run(env, InfraLoader.compiling(), "", "--infra", repo.toString(), "up", HOST);
    assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
    assertThat(up.out()).contains("lab machine " + HOST + ": systemd running");
    address = up.out().replaceAll("(?s).*" + HOST + " is up at (\\S+) .*", "$1");
    here = address.replaceAll("\\.2$", ".1");
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
    assertThat(connects(address, 9000)).as("port 9000 is dropped by the firewall").isFalse();
    assertThat(connects(address, 22)).isTrue();

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
    Path pki = Files.createDirectories(tmp.resolve("pki"));
    Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:" + address + "\n");
    ProcessResult made = dev.gantry.core.process.Command.of("sh", "-c", String.join(" && ",
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=gantry-lab-ca",
            "openssl req -newkey rsa:2048 -nodes -keyout registry.key -out registry.csr -subj /CN=" + address,
            "openssl x509 -req -in registry.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out registry.crt -days 2 "
                + "-extfile san.ext"))
        .dir(pki).timeout(Duration.ofSeconds(60)).run();
    assertThat(made.exitCode()).as(made.stderr()).isZero();
    Cli.Run set = Cli.run(new VaultCommand(new ByteArrayInputStream(Files.readAllBytes(pki.resolve("registry.key")))),
        "set", "registry-key", "any", "--infra", repo.toString());
    assertThat(set.code()).as(set.err()).isZero();
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

    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(pki.resolve("ca.pem"))) {
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient c = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    URI catalog = URI.create("https://" + registry + "/v2/_catalog");
    assertThat(c.send(HttpRequest.newBuilder(catalog).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .as("over TLS without credentials").isEqualTo(401);
    String right = "Basic " + Base64.getEncoder().encodeToString(("ci:" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(c.send(HttpRequest.newBuilder(catalog).header("Authorization", right).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("\"lab/app\"");
    assertThat(get("http://" + registry + "/v2/")).as("plain HTTP is refused now").startsWith("400 ");
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
   * collectd reporting to {@code monitor}, the unit writing {@code greeting}, the system web.
   */
  private static String definition(String machine, String monitor) {
    String transport = registryTls
        ? "DockerRegistry.tls(\"/etc/docker/registry/tls.crt\", \"/etc/docker/registry/tls.key\")"
        : "DockerRegistry.insecureOnPrivateNetwork()";
    String tlsFiles = !registryTls ? "" : """
        Apt.installed("docker-registry"),
        File.hasContent("/etc/docker/registry/tls.crt", "%1$s", FileAttrs.mode(0644)),
        File.hasSecret("/etc/docker/registry/tls.key", SecretRef.of("registry-key", "any"),
            FileAttrs.mode(0640).withOwner("root", "docker-registry")),
        DockerRegistry.trusting("%2$s:5000", "%3$s"),
        """.formatted(pem("registry.crt"), machine, pem("ca.pem"));
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
                      Collectd.reportingTo("%s", %d, Duration.ofSeconds(10)))
                .runs(web, "A").runs(pulled, "A");
          }
        }
        """.formatted(LabImages.APP, LabImages.NGINX, machine, LabImages.NGINX, HOST, key + ".pub", base, tlsFiles, transport, machine, transport,
            greeting, monitor, MONITOR_PORT);
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
    ProcessResult r = LabTrace.ssh(key, "root", address, command);
    assertThat(r.exitCode()).as(command + ": " + r.stderr()).isZero();
    return r.stdout();
  }

  private static boolean connects(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String get(String url) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }
}
