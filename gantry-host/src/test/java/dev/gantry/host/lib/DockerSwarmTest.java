package dev.gantry.host.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Invocation;
import dev.gantry.core.testing.ForwardingTarget;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.property.Secrets;
import dev.gantry.host.property.Status;
import dev.gantry.host.testing.FolderTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm properties against an engine that answers as Docker does (a scripted target):
 * what each does in each state the engine can be in, and that the join token never appears
 * on a command line or in a message. {@code LabSwarmTest} forms a real swarm of two lab machines.
 */
class DockerSwarmTest {
  static final SecretRef TOKEN = SecretRef.of("swarm-worker-token", "any");
  static final String GOOD_TOKEN = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx";

  @TempDir Path tmp;

  /** An engine whose {@code docker info} says {@code info}; {@code swarm init} and the API's join answer {@code answer}. */
  final class Engine extends ForwardingTarget {
    String info;
    boolean running = true;
    String joinAnswer = "\n200";
    final List<Invocation> ran = new ArrayList<>();

    Engine(String info) {
      super(new FolderTarget(tmp));
      this.info = info;
    }

    @Override
    public ProcessResult run(Invocation c) {
      ran.add(c);
      List<String> argv = c.argv();
      String out = "";
      if (argv.get(0).equals("docker") && argv.get(1).equals("info")) {
        if (!running) {
          return new ProcessResult(argv, 1, "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.",
              Duration.ZERO, false);
        }
        out = info + "\n";
      } else if (argv.get(0).equals("docker") && argv.get(1).equals("swarm")) {
        info = "active|true|10.213.1.2:2377 ";
      } else if (argv.get(0).equals("curl")) {
        out = joinAnswer;
        if (joinAnswer.endsWith("200")) {
          info = "active|false|10.213.1.2:2377 ";
        }
      }
      return new ProcessResult(argv, 0, out, "", Duration.ZERO, false);
    }

    boolean tokenOnACommandLine() {
      return ran.stream().anyMatch(i -> String.join(" ", i.argv()).contains(GOOD_TOKEN));
    }
  }

  Context ctx(Engine e, String token) {
    return Context.of(e).withHostName("w1").withPeers(Map.of("m1", "10.213.1.2"))
        .withSecrets(Secrets.of(Map.of(TOKEN, token)));
  }

  @Test
  void anEngineInNoSwarmIsInitialisedAsAManagerOnItsAddress() {
    Engine e = new Engine("inactive|false|");
    Result r = Docker.managing("10.213.1.2").apply(Context.of(e));
    assertThat(r.status()).as(r.message()).isEqualTo(Status.MADE_CHANGE);
    assertThat(e.ran).extracting(Invocation::argv).contains(List.of("docker", "swarm", "init", "--advertise-addr", "10.213.1.2"));
    assertThat(Docker.managing("10.213.1.2").apply(Context.of(e)).status()).isEqualTo(Status.NO_CHANGE);
  }

  @Test
  void aDryRunBeforeDockerRunsSaysWhatTheSpinWillDoAndARealRunSaysWhyItCannot() {
    Engine e = new Engine("inactive|false|");
    e.running = false;
    assertThat(Docker.managing("10.213.1.2").apply(Context.of(e).dryRun(true)).message())
        .isEqualTo("docker swarm init --advertise-addr 10.213.1.2 (once Docker runs)");
    assertThat(Docker.joining("m1", TOKEN).apply(ctx(e, GOOD_TOKEN).dryRun(true)).status()).isEqualTo(Status.WOULD_CHANGE);
    Result real = Docker.managing("10.213.1.2").apply(Context.of(e));
    assertThat(real.status()).isEqualTo(Status.FAILED);
    assertThat(real.message()).contains("docker info failed", "Cannot connect to the Docker daemon");
  }

  @Test
  void aWorkerOfAnotherSwarmIsNotMadeAManager() {
    Result r = Docker.managing("10.213.1.2").apply(Context.of(new Engine("active|false|10.9.9.9:2377 ")));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("is a worker of another swarm (managers: 10.9.9.9:2377)", "docker swarm leave");
  }

  @Test
  void aWorkerJoinsItsManagersSwarmWithTheTokenOnStandardInputOnly() {
    Engine e = new Engine("inactive|false|");
    Result dry = Docker.joining("m1", TOKEN).apply(ctx(e, GOOD_TOKEN).dryRun(true));
    assertThat(dry.message()).isEqualTo("docker swarm join 10.213.1.2:2377 (token from the vault, not shown)");
    Result r = Docker.joining("m1", TOKEN).apply(ctx(e, GOOD_TOKEN + "\n"));
    assertThat(r.status()).as(r.message()).isEqualTo(Status.MADE_CHANGE);
    Invocation join = e.ran.stream().filter(i -> i.argv().get(0).equals("curl")).findFirst().orElseThrow();
    assertThat(join.argv()).contains("/var/run/docker.sock", "http://localhost/swarm/join");
    assertThat(new String(join.stdin(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ListenAddr\":\"0.0.0.0:2377\",\"RemoteAddrs\":[\"10.213.1.2:2377\"],\"JoinToken\":\"" + GOOD_TOKEN + "\"}");
    assertThat(e.tokenOnACommandLine()).isFalse();
    assertThat(Docker.joining("m1", TOKEN).apply(ctx(e, GOOD_TOKEN)).status()).isEqualTo(Status.NO_CHANGE);
  }

  @Test
  void aRefusedJoinSaysWhatTheEngineSaidWithoutTheToken() {
    Engine e = new Engine("inactive|false|");
    e.joinAnswer = "{\"message\":\"rpc error: code = InvalidArgument desc = A valid join token is necessary\"}\n400";
    Result r = Docker.joining("m1", TOKEN).apply(ctx(e, GOOD_TOKEN));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("joining the swarm of 10.213.1.2:2377 failed (HTTP 400)", "A valid join token is necessary")
        .doesNotContain(GOOD_TOKEN);
  }

  @Test
  void aVaultValueThatIsNoJoinTokenIsRefusedWithoutBeingShown() {
    Engine e = new Engine("inactive|false|");
    Result r = Docker.joining("m1", TOKEN).apply(ctx(e, "hunter2"));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("swarm-worker-token@any is not a swarm join token (SWMTKN-1-...)").doesNotContain("hunter2");
    assertThat(e.ran).noneMatch(i -> i.argv().get(0).equals("curl"));
  }

  @Test
  void anEngineInAnotherSwarmIsNotMovedToThisOne() {
    Result r = Docker.joining("m1", TOKEN).apply(ctx(new Engine("active|false|10.9.9.9:2377 "), GOOD_TOKEN));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("is in another swarm (managers: 10.9.9.9:2377), not the one m1 manages at 10.213.1.2:2377");
    Result error = Docker.joining("m1", TOKEN).apply(ctx(new Engine("error|false|"), GOOD_TOKEN));
    assertThat(error.message()).contains("swarm state is 'error'");
  }

  @Test
  void theWorkerAsksForItsManagersAddressAndDeclaresTheSwarmsPortsAndToken() {
    var p = Docker.swarmWorkerOf("m1", TOKEN);
    assertThat(p.info()).contains(new Info.PeerAddressWanted("m1"), new Info.SecretUsed(TOKEN),
        new Info.PortOpened(2377, "tcp"), new Info.PortOpened(4789, "udp"), new Info.PortOpened(7946, "udp"));
    assertThat(Docker.swarmManager("10.0.0.5").info()).contains(new Info.PortOpened(2377, "tcp"));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> Docker.swarmManager("m1.example.com"))
        .hasMessage("the advertise address of the swarm manager must be an IP address of the host, not 'm1.example.com'");
    assertThatThrownBy(() -> Docker.swarmWorkerOf("no host", TOKEN))
        .hasMessage("swarm manager host 'no host' is not a host name of the definition");
  }
}
