package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.Invocation;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Context;
import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.PropertyFailure;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.SecretRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Docker Engine and docker-compose from Debian's packages.
 *
 * <pre>{@code
 * Docker.installed(), Docker.composeInstalled()
 * Docker.running()   // on a booted host: a droplet, a lab machine
 *
 * // a swarm of two: the join token is read once from the manager into the vault
 * i.host("m1").with(Docker.running(), Docker.swarmManager("10.0.0.5"));
 * i.host("w1").with(Docker.running(), Docker.swarmWorkerOf("m1", SecretRef.of("swarm-worker-token", "any")));
 * }</pre>
 */
public final class Docker {
  /** The port managers listen on for joining nodes and for the cluster's own traffic. */
  public static final int SWARM_PORT = 2377;

  private Docker() {}

  /** Docker Engine ({@code docker.io}) installed and enabled at boot. */
  public static Property installed() {
    return Props.withInfo(Props.sequence("docker engine installed",
        Apt.installed("docker.io"), Systemd.enabled("docker")), new Info.ServiceMonitored("docker"));
  }

  /**
   * Docker Engine installed, enabled and running now. Starting needs a running systemd, so on a
   * root filesystem being prepared use {@link #installed()}.
   */
  public static Property running() {
    return Props.sequence("docker engine running", installed(), Systemd.started("docker"));
  }

  /** docker-compose installed. */
  public static Property composeInstalled() {
    return Apt.installed("docker-compose").describedAs("docker-compose installed");
  }

  /**
   * This host's Docker Engine is a swarm manager, advertising {@code advertiseAddress} (an
   * address of this host that the other nodes reach): {@code docker swarm init} when its engine
   * is in no swarm. Holds when it already manages one; a worker of a swarm, or an engine in an
   * error state, fails, naming the state, since leaving a swarm is for a person to decide (on
   * Docker 20.10 it also cuts compose containers off their networks). The address is named
   * because a host with Docker has several (docker0 at least) and a lab machine has no default
   * route for Docker to choose by.
   */
  public static Property swarmManager(String advertiseAddress) {
    requireSwarmAddress(advertiseAddress, "advertise address of the swarm manager");
    return Props.withInfo(Props.sequence("docker swarm manager", running(), managing(advertiseAddress)), swarmPorts());
  }

  /** The engine manages a swarm: {@code docker swarm init} when it is in none. */
  static Property managing(String advertiseAddress) {
    return Props.checked("docker swarm manager advertising " + advertiseAddress, ctx -> {
      SwarmMembership m = SwarmMembership.of(ctx);
      return switch (m.state()) {
        case "inactive" -> Check.change("docker swarm init --advertise-addr " + advertiseAddress);
        case "active" -> m.manager() ? Check.holds() : Check.fails("the Docker Engine is a worker of another swarm (managers: "
            + m.managers() + "), not a manager; run `docker swarm leave` there first if it should manage a swarm of its own");
        case SwarmMembership.NOT_RUNNING -> Check.change("docker swarm init --advertise-addr " + advertiseAddress
            + " (once Docker runs)");
        default -> Check.fails("the Docker Engine's swarm state is '" + m.state() + "'; see `docker info` there");
      };
    }, (ctx, c) -> Run.must(ctx.target(), "docker", "swarm", "init", "--advertise-addr", advertiseAddress));
  }

  /**
   * This host's Docker Engine is a worker of the swarm that {@code managerHost}, another host of
   * the definition, manages: it joins at the manager's address (the one the spin resolves) with
   * the join token kept in the vault under {@code joinToken}, which
   * {@code docker swarm join-token -q worker} prints on the manager. The token goes to the
   * engine's API on its standard input, never on a command line or in any output. Holds when
   * the engine is already in the swarm of that manager; an engine in another swarm fails,
   * naming its managers.
   */
  public static Property swarmWorkerOf(String managerHost, SecretRef joinToken) {
    if (managerHost == null || !managerHost.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
      throw new DefinitionError("swarm manager host '" + managerHost + "' is not a host name of the definition");
    }
    return Props.withInfo(Props.sequence("docker swarm worker", running(), Apt.installed("curl"), joining(managerHost, joinToken)),
        swarmPorts());
  }

  /** The engine is in the swarm {@code managerHost} manages: it joins when it is in none. */
  static Property joining(String managerHost, SecretRef joinToken) {
    Property p = Props.checked("docker swarm worker of host " + managerHost, ctx -> {
      String manager = managerEndpoint(ctx, managerHost);
      SwarmMembership m = SwarmMembership.of(ctx);
      return switch (m.state()) {
        case "inactive", SwarmMembership.NOT_RUNNING -> Check.change("docker swarm join " + manager
            + " (token from the vault, not shown)");
        case "active" -> List.of(m.managers().split(" ")).contains(manager) ? Check.holds()
            : Check.fails("the Docker Engine is in another swarm (managers: " + m.managers() + "), not the one "
                + managerHost + " manages at " + manager + "; run `docker swarm leave` there first");
        default -> Check.fails("the Docker Engine's swarm state is '" + m.state() + "'; see `docker info` there");
      };
    }, (ctx, c) -> join(ctx, managerEndpoint(ctx, managerHost), joinToken));
    return Props.withInfo(p, new Info.PeerAddressWanted(managerHost), new Info.SecretUsed(joinToken));
  }

  /** What {@code docker info} says of the engine's place in a swarm. */
  private record SwarmMembership(String state, boolean manager, String managers) {
    /** A dry run before Docker is installed or started: what the spin will find is an engine in no swarm. */
    static final String NOT_RUNNING = "not running yet";

    static SwarmMembership of(Context ctx) {
      ProcessResult r = ctx.target().run(Duration.ofSeconds(30), "docker", "info", "--format",
          "{{.Swarm.LocalNodeState}}|{{.Swarm.ControlAvailable}}|{{range .Swarm.RemoteManagers}}{{.Addr}} {{end}}");
      if (!r.ok() && ctx.dryRun()) {
        return new SwarmMembership(NOT_RUNNING, false, "");
      }
      if (!r.ok()) {
        throw new PropertyFailure("docker info failed (" + r.status() + "): " + r.tail());
      }
      String[] f = r.stdout().strip().split("\\|", -1);
      return new SwarmMembership(f[0], f.length > 1 && f[1].equals("true"), f.length > 2 ? f[2].strip() : "");
    }
  }

  /** POST /swarm/join on the engine's socket, the body (with the token) on curl's standard input. */
  private static void join(Context ctx, String manager, SecretRef joinToken) {
    String token = ctx.secret(joinToken).strip();
    if (!token.matches("SWMTKN-1-[A-Za-z0-9]+-[A-Za-z0-9]+")) {
      throw new PropertyFailure("the vault's " + joinToken + " is not a swarm join token (SWMTKN-1-...); set it from "
          + "`docker swarm join-token -q worker` on the manager");
    }
    String body = "{\"ListenAddr\":\"0.0.0.0:" + SWARM_PORT + "\",\"RemoteAddrs\":[\"" + manager + "\"],\"JoinToken\":\""
        + token + "\"}";
    ProcessResult r = ctx.target().run(Invocation.of(List.of("curl", "-sS", "--unix-socket", "/var/run/docker.sock",
            "-H", "Content-Type: application/json", "--data-binary", "@-", "-w", "\n%{http_code}", "http://localhost/swarm/join"))
        .stdin(body.getBytes(StandardCharsets.UTF_8)).timeout(Duration.ofMinutes(2)));
    String out = r.stdout().strip();
    int last = out.lastIndexOf('\n');
    String status = out.substring(last + 1);
    // the engine's message never repeats the token, nor does curl's own error; replaced all the same
    if (!r.ok()) {
      throw new PropertyFailure("joining the swarm of " + manager + " failed: curl " + r.status() + ": "
          + r.tail().replace(token, "<token>"));
    }
    if (!status.equals("200")) {
      throw new PropertyFailure("joining the swarm of " + manager + " failed (HTTP " + status + "): "
          + (last < 0 ? "" : out.substring(0, last)).replace(token, "<token>"));
    }
  }

  /** {@code address:2377} of the manager, as {@code docker info} lists managers ({@code [v6]:2377}). */
  private static String managerEndpoint(Context ctx, String managerHost) {
    String a = ctx.addressOf(managerHost);
    if (!a.matches("[A-Za-z0-9.:-]+")) {
      throw new PropertyFailure("the address of host '" + managerHost + "' ('" + a + "') is not valid for a swarm manager");
    }
    return (a.contains(":") ? "[" + a + "]" : a) + ":" + SWARM_PORT;
  }

  private static void requireSwarmAddress(String address, String what) {
    if (address == null || !address.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      throw new DefinitionError("the " + what + " must be an IP address of the host, not '" + address + "'");
    }
  }

  /** Managers take joins and cluster traffic on 2377/tcp; nodes gossip on 7946 and carry overlay networks on 4789/udp. */
  private static Info[] swarmPorts() {
    return new Info[] {new Info.PortOpened(SWARM_PORT, "tcp"), new Info.PortOpened(7946, "tcp"),
        new Info.PortOpened(7946, "udp"), new Info.PortOpened(4789, "udp")};
  }
}
