package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.generate.NginxGenerator;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.model.Route;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running nginx front of one system: loads a new configuration with a graceful reload
 * (nginx starts new workers and lets the old ones finish the requests they hold), proves
 * routes through it, and waits for the old workers to drain. Everything runs in the front's
 * own container, so nothing on the host needs nginx or an HTTP client.
 *
 * <pre>{@code
 * FrontSwitch front = FrontSwitch.find(runtime, docker, layout, folder, clock).orElseThrow();
 * front.load(interim, served);            // nginx -t, SIGHUP, wait until the new generation answers
 * front.load(next, interim, routes);      // the same once every route reaches the new instances
 * front.drain(Duration.ofSeconds(30));    // the workers of before finished their requests
 * }</pre>
 */
final class FrontSwitch {
  private static final Duration EXEC = Duration.ofSeconds(30);
  private static final Duration RELOAD_WAIT = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration IN_SWITCH_DRAIN = Duration.ofMillis(500);
  private static final Duration DRAIN_POLL = Duration.ofMillis(20);
  /** The process ids of nginx's workers; the bracket keeps grep's own command line from matching. */
  private static final String WORKERS =
      "grep -l 'nginx: worker proces[s]' /proc/[0-9]*/cmdline 2>/dev/null | sed 's|^/proc/\\([0-9]*\\)/.*|\\1|'";
  /** Which of the process ids in $old still run (an exited one may linger as a zombie until nginx reaps it). */
  private static final String ALIVE =
      "for p in $old; do grep -qs '^State:[[:space:]]*[^Z]' /proc/$p/status && echo $p; done";

  private final Docker docker;
  private final SystemFolder folder;
  private final Clock clock;
  private final ContainerState container;
  /** The workers that ran before the last load and were still there when it ended. */
  private List<String> oldWorkers = List.of();

  private FrontSwitch(Docker docker, SystemFolder folder, Clock clock,
      ContainerState container) {
    this.docker = docker;
    this.folder = folder;
    this.clock = clock;
    this.container = container;
  }

  /** The system's running front, if it has one. */
  static Optional<FrontSwitch> find(ContainerRuntime runtime, Docker docker, Layout layout, SystemFolder folder, Clock clock) {
    return in(runtime.states(layout), docker, folder, clock);
  }

  /** The running front among {@code containers}, the system's as just seen. */
  static Optional<FrontSwitch> in(List<ContainerState> containers, Docker docker, SystemFolder folder, Clock clock) {
    return containers.stream().filter(c -> c.running() && c.service().equals(Frontend.SERVICE)).findFirst()
        .map(c -> new FrontSwitch(docker, folder, clock, c));
  }

  /**
   * Writes {@code config} where the front reads it, then, in one command in the running
   * container: checks it with {@code nginx -t}, reloads gracefully, and waits until the new
   * generation answers. On a failed check the file that was there before is put back and
   * nothing was reloaded.
   */
  void load(String config, String before) {
    load(config, before, List.of());
  }

  /**
   * As {@link #load(String, String)}, but first requests each of {@code candidates} through
   * the configuration that runs now (its status server's candidate routes); if one does not
   * reach its service, the file is put back, nothing is reloaded, and the error says which.
   * After such a switch it waits a moment in the same command for the old workers to finish,
   * so that {@link #drain} usually has nothing left to wait for.
   */
  void load(String config, String before, List<Route> candidates) {
    folder.writeFront(config);
    String conf = ComposeGenerator.FRONT_CONF_IN_CONTAINER;
    String want = "ok " + NginxGenerator.generation(config).orElseThrow();
    long tries = RELOAD_WAIT.toMillis() / POLL.toMillis();
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < candidates.size(); i++) {
      script.append("out=$(").append(HealthCheck.fetch(NginxGenerator.probeUrl("candidate", i)))
          .append(" 2>&1) || { echo \"").append(i).append(" $out\"; exit 13; }\n");
    }
    // the workers that run now are the old ones once nginx reloads: they finish the requests
    // they hold and exit (nginx tells them so only some 100 ms after the new ones start)
    script.append("old=$(").append(WORKERS).append(")\n")
        .append("nginx -t -q -c ").append(conf).append(" 2>&1 || exit 10\n")
        .append("nginx -s reload -c ").append(conf).append(" 2>&1 || exit 11\n")
        .append("i=0\n")
        .append("while [ $i -lt ").append(tries).append(" ]; do\n")
        .append("  seen=$(").append(HealthCheck.fetchBody(NginxGenerator.statusUrl())).append(" 2>/dev/null)\n")
        .append("  [ \"$seen\" = '").append(want).append("' ] && break\n")
        .append("  sleep ").append(POLL.toMillis() / 1000.0).append("; i=$((i+1))\n")
        .append("done\n")
        .append("[ \"$seen\" = '").append(want).append("' ] || { echo \"status answered: $seen\"; exit 12; }\n");
    int waits = candidates.isEmpty() ? 0 : (int) (IN_SWITCH_DRAIN.toMillis() / DRAIN_POLL.toMillis());
    script.append("i=0\n")
        .append("while :; do\n")
        .append("  left=$(").append(ALIVE).append(")\n")
        .append("  [ -z \"$left\" ] || [ $i -ge ").append(waits).append(" ] && break\n")
        .append("  sleep ").append(DRAIN_POLL.toMillis() / 1000.0).append("; i=$((i+1))\n")
        .append("done\n")
        .append("echo old workers: $left\n");
    ProcessResult r = exec(script.toString());
    switch (r.exitCode()) {
      case 0 -> oldWorkers = pids(r.stdout());
      case 10 -> {
        folder.writeFront(before);
        throw new UserError("the front's new configuration fails `nginx -t` in its container (the front still serves the "
            + "old one): " + oneLine(r.stdout() + r.stderr()));
      }
      case 13 -> {
        folder.writeFront(before);
        // the script said "<route number> <what the request answered>"
        String[] said = r.stdout().strip().split(" ", 2);
        Route route = said[0].matches("\\d{1,4}") && Integer.parseInt(said[0]) < candidates.size()
            ? candidates.get(Integer.parseInt(said[0])) : null;
        throw new UserError("the front cannot reach " + (route == null ? "a route" : route.service() + ":" + route.port()
            + " (route " + route.path() + ")") + " on the new release: "
            + oneLine(route == null ? r.stdout() + r.stderr() : said.length > 1 ? said[1] : r.stderr()));
      }
      case 12 -> throw new UserError("the front did not take its new configuration within " + RELOAD_WAIT.toSeconds()
          + "s (" + oneLine(r.stdout()) + ", expected '" + want + "')");
      default -> throw new UserError("reloading the front failed (exit " + r.exitCode() + "): " + oneLine(r.stdout() + r.stderr()));
    }
  }

  /**
   * Waits until the workers that ran before the last {@link #load} have finished their
   * requests and exited, at most {@code timeout}; returns how many were still there then.
   */
  int drain(Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    while (!oldWorkers.isEmpty() && clock.instant().isBefore(deadline)) {
      sleep(Duration.ofMillis(100));
      oldWorkers = pids(exec("old='" + String.join(" ", oldWorkers) + "'\nleft=$(" + ALIVE + ")\necho old workers: $left")
          .stdout());
    }
    return oldWorkers.size();
  }

  /** The process ids the script listed after "old workers:". */
  private static List<String> pids(String out) {
    return out.lines().filter(l -> l.startsWith("old workers:")).findFirst()
        .map(l -> List.of(l.substring("old workers:".length()).strip().split("\\s+"))).orElse(List.of()).stream()
        .filter(p -> p.matches("\\d+")).toList();
  }

  private ProcessResult exec(String shell) {
    return docker.execShell(container.id(), shell, Map.of(), EXEC);
  }

  private static String oneLine(String s) {
    String t = s.replace('\n', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while switching the front");
    }
  }

}
