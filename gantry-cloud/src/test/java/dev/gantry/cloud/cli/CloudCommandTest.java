package dev.gantry.cloud.cli;

import static dev.gantry.cloud.Cloud.digitalOcean;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cloud.digitalocean.fake.FakeDigitalOcean;
import dev.gantry.core.infra.Infrastructure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry cloud} against the spec-checked local DigitalOcean API. */
class CloudCommandTest {
  @TempDir Path infraDir;
  FakeDigitalOcean fake;
  ServerSocket sshd;
  Thread banner;
  Infrastructure infra;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeDigitalOcean.start();
    fake.api().pollsPerAction(0).dropletAddress("127.0.0.1");
    sshd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    // the droplet's SSH server, as far as `cloud up` can tell: it answers with an identification line
    banner = Thread.ofVirtual().start(() -> {
      while (!sshd.isClosed()) {
        try (Socket s = sshd.accept(); OutputStream o = s.getOutputStream()) {
          o.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
          return;
        }
      }
    });
    Files.createDirectories(infraDir.resolve("infra"));
    Files.writeString(infraDir.resolve("infra/Infra.java"), "// the definition; the test builds the same in code\n");
    infra = new Infrastructure();
    infra.host("web1").sshPort(sshd.getLocalPort()).role("production")
        .provisionedBy(digitalOcean().region("sgp1").size("s-1vcpu-1gb").image("debian-12-x64").tags("web"));
    infra.host("far").sshPort(sshd.getLocalPort())
        .provisionedBy(digitalOcean().region("atlantis1").size("s-1vcpu-1gb").image("debian-12-x64"));
    infra.host("huge").sshPort(sshd.getLocalPort())
        .provisionedBy(digitalOcean().region("sgp1").size("s-512vcpu-4tb").image("debian-12-x64"));
    infra.host("half").provisionedBy(digitalOcean().region("sgp1"));
    infra.host("manual").address("192.0.2.10");
    env.put("DIGITALOCEAN_TOKEN", fake.token());
  }

  @AfterEach
  void tearDown() throws IOException {
    sshd.close();
    try {
      assertThat(fake.violations()).as("requests and responses off the OpenAPI description").isEmpty();
    } finally {
      fake.close();
    }
  }

  CliRun.Outcome run(String stdin, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--infra";
    all[1] = infraDir.toString();
    all[2] = "--api-url";
    all[3] = fake.uri().toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return CliRun.run(env, (path, dataDir) -> {
      assertThat(path).isEqualTo(infraDir.resolve("infra"));
      return infra;
    }, stdin, all);
  }

  @Test
  void upCreatesWaitsForSshRecordsTheAddressAndIsIdempotent() throws IOException {
    CliRun.Outcome first = run("", "up", "web1");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("creating droplet web1 in sgp1 (s-1vcpu-1gb, debian-12-x64)")
        .contains("web1 is up at 127.0.0.1 (digitalocean)").endsWith("next: gantry host spin web1\n");
    String registry = Files.readString(infraDir.resolve("hosts.yml"));
    assertThat(registry).contains("web1:", "role: production", "address: 127.0.0.1", "provider: digitalocean");

    CliRun.Outcome again = run("", "up", "web1");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("web1: digitalocean machine exists").contains("web1 is up at 127.0.0.1");
    assertThat(fake.exchanges("POST", "/v2/droplets")).hasSize(1);
    assertThat(fake.api().dropletNames()).containsExactly("web1");
  }

  @Test
  void upKeepsWhatDeploymentRecordedInTheRegistry() throws IOException {
    Files.writeString(infraDir.resolve("hosts.yml"), "hosts:\n  web1:\n    role: production\n    systems:\n"
        + "      capital:\n        release: abc123f\n");
    assertThat(run("", "up", "web1").exitCode()).isZero();
    assertThat(Files.readString(infraDir.resolve("hosts.yml"))).contains("release: abc123f", "address: 127.0.0.1");
  }

  @Test
  void unknownRegionOrSizeFailsWithTheApisMessageAndCreatesNothing() {
    CliRun.Outcome far = run("", "up", "far");
    assertThat(far.exitCode()).isEqualTo(1);
    assertThat(far.err()).startsWith("DigitalOcean: creating droplet 'far' failed: HTTP 422 unprocessable_entity: "
        + "You specified an invalid region for Droplet creation. (request id ");
    CliRun.Outcome huge = run("", "up", "huge");
    assertThat(huge.err()).contains("You specified an invalid size for Droplet creation.");
    assertThat(fake.api().dropletCount()).isZero();
    assertThat(infraDir.resolve("hosts.yml")).doesNotExist();
  }

  @Test
  void aNameTakenTwiceIsRefusedWithTheIds() {
    run("", "up", "web1");
    // a second droplet with the same name appears, made outside Gantry
    fake.api().seedNamed("web1");
    CliRun.Outcome r = run("", "up", "web1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).matches("(?s)2 droplets are called 'web1' \\(ids \\d+, \\d+\\); Gantry needs exactly one per host: "
        + "delete or rename the others\\n");
  }

  @Test
  void badInputIsNamed() {
    assertThat(run("", "up", "nope").err()).isEqualTo("unknown host 'nope'; the definition declares: web1, far, huge, half, manual\n");
    assertThat(run("", "up", "manual").err()).startsWith("host 'manual' does not say how it is provisioned: add "
        + ".provisionedBy(digitalOcean()");
    assertThat(run("", "up", "half").err()).isEqualTo("host 'half': digitalOcean() needs size(\"s-1vcpu-1gb\"), "
        + "image(\"debian-12-x64\") in infra/Infra.java (see `gantry cloud regions|sizes|images`)\n");
    CliRun.Outcome soon = run("", "up", "web1", "--timeout", "soon");
    assertThat(soon.exitCode()).isEqualTo(2);
    assertThat(soon.err()).startsWith("Invalid value for option '--timeout': ");
    env.remove("DIGITALOCEAN_TOKEN");
    assertThat(run("", "up", "web1").err()).isEqualTo("no DigitalOcean API token: set DIGITALOCEAN_TOKEN or store it "
        + "in the vault (gantry vault set digitalocean-token any)\n");
    env.put("DIGITALOCEAN_TOKEN", "dop_v1_not_the_right_one");
    CliRun.Outcome bad = run("", "droplets");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("DigitalOcean: listing droplets failed: HTTP 401 unauthorized: Unable to authenticate you.")
        .doesNotContain("dop_v1_not_the_right_one");
    assertThat(CliRun.run(env, (p, d) -> infra, "", "--infra", infraDir.resolve("elsewhere").toString(), "up", "web1").err())
        .startsWith("no infrastructure definition in ");
  }

  @Test
  void downAsksForTheHostNameUnlessYes() {
    run("", "up", "web1");

    CliRun.Outcome wrong = run("web2\n", "down", "web1");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.err()).isEqualTo("not destroyed: 'web2' is not 'web1'\n");
    CliRun.Outcome noAnswer = run("", "down", "web1");
    assertThat(noAnswer.err()).isEqualTo("not destroying 'web1': no confirmation could be read; pass --yes to confirm\n");
    assertThat(fake.api().dropletNames()).containsExactly("web1");

    CliRun.Outcome typed = run("web1\n", "down", "web1");
    assertThat(typed.exitCode()).as(typed.err()).isZero();
    assertThat(typed.out()).contains("Type the host name to confirm:").endsWith("web1: destroyed\n");
    assertThat(fake.api().dropletCount()).isZero();

    run("", "up", "web1");
    assertThat(run("", "down", "web1", "--yes").exitCode()).isZero();
    assertThat(run("", "down", "web1", "--yes").out()).isEqualTo("web1: no digitalocean machine exists; nothing to destroy\n");
  }

  @Test
  void upCompilesTheRealDefinition() throws IOException {
    Files.writeString(infraDir.resolve("infra/Infra.java"), """
        import static dev.gantry.cloud.Cloud.*;

        import dev.gantry.core.infra.Infrastructure;
        import dev.gantry.core.infra.InfrastructureDefinition;

        public class Infra implements InfrastructureDefinition {
          public void define(Infrastructure i) {
            i.host("api1").sshPort(%d)
                .provisionedBy(digitalOcean().region("fra1").size("s-2vcpu-2gb").image("ubuntu-24-04-x64"));
          }
        }
        """.formatted(sshd.getLocalPort()));
    String[] args = {"--infra", infraDir.toString(), "--data-dir", infraDir.resolve("data").toString(),
        "--api-url", fake.uri().toString(), "up", "api1"};
    CliRun.Outcome r = CliRun.run(env, InfraLoader.compiling(), "", args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("creating droplet api1 in fra1 (s-2vcpu-2gb, ubuntu-24-04-x64)", "api1 is up at 127.0.0.1");

    Files.writeString(infraDir.resolve("infra/Infra.java"), "public class Infra { int x = ; }\n");
    CliRun.Outcome broken = CliRun.run(env, InfraLoader.compiling(), "", args);
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains("Infra.java:1:");
  }

  @Test
  void keysAreAddedFromAFileAndDeleted() throws IOException {
    Path pub = infraDir.resolve("me.pub");
    Files.writeString(pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0ZXN0a2V5Zm9yZ2FudHJ5Y2xvdWR0ZXN0c29ubHk= me@laptop\n");
    CliRun.Outcome added = run("", "keys", "add", "laptop", pub.toString());
    assertThat(added.out()).matches("added laptop \\(id \\d+, ([0-9a-f]{2}:){15}[0-9a-f]{2}\\)\n");
    assertThat(run("", "keys", "add", "again", pub.toString()).err()).contains("SSH Key is already in use on your account");
    assertThat(run("", "keys", "add", "none", infraDir.resolve("missing.pub").toString()).err())
        .isEqualTo("keys add: " + infraDir.resolve("missing.pub") + " is not a file\n");
    String fingerprint = added.out().replaceAll("(?s).*, (\\S+)\\)\n", "$1");
    assertThat(run("", "keys", "--json").out()).contains("\"name\" : \"laptop\"");
    assertThat(run("", "keys", "delete", fingerprint).exitCode()).isZero();
    assertThat(run("", "keys").out().lines()).hasSize(1);
  }

  @Test
  void listsAsTablesAndJson() {
    fake.api().seedDroplets(3, "node", "web");
    CliRun.Outcome table = run("", "droplets");
    assertThat(table.out().lines().findFirst()).get().asString().matches("ID\\s+NAME\\s+STATUS\\s+REGION\\s+SIZE\\s+IPV4\\s+TAGS");
    assertThat(table.out()).contains("node-2").contains("active").contains("sgp1");
    assertThat(run("", "droplets", "--json").out()).contains("\"name\" : \"node-0\"").contains("\"size_slug\" : \"s-1vcpu-1gb\"");
    assertThat(run("", "droplets", "--tag", "db").out().lines()).hasSize(1);
    assertThat(run("", "regions").out()).contains("sgp1").contains("Singapore 1");
    assertThat(run("", "sizes").out()).contains("s-1vcpu-1gb").contains("1024 MB").contains("6.00");
    assertThat(run("", "images").out()).contains("debian-12-x64");
    assertThat(run("", "images", "--json").out()).startsWith("[");
    assertThat(run("", "keys").out().strip()).isEqualTo("ID  NAME  FINGERPRINT");
    assertThat(run("", "--help").out()).contains("up", "down", "droplets", "keys", "regions", "sizes", "images", "lab");
  }
}
