package dev.gantry.deploy.testing;

import dev.gantry.core.infra.InfraRepo;
import dev.gantry.core.target.LocalTarget;
import dev.gantry.deploy.engine.DeployContext;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployListener;
import dev.gantry.deploy.engine.DeployOptions;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.s3.S3BackupCopy;
import dev.gantry.deploy.secrets.SecretSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway deploy world on this machine: a deploy root, a data dir with the ledger, an
 * infra git repository, and a unique project prefix so containers, networks and volumes of
 * different tests never meet. {@link #close()} removes all of it from Docker.
 */
public final class Sandbox implements AutoCloseable {
  public final Path dir;
  public final Path root;
  public final Path infra;
  public final String prefix;
  public final LocalTarget exec = LocalTarget.thisMachine();
  public final List<String> progress = new CopyOnWriteArrayList<>();
  public final JsonLinesLedger ledger;

  /** Fails (never skips) when the Docker Engine is not there. */
  public static void requireDocker() {
    DockerCheck.requireDocker();
  }

  public Sandbox() throws IOException {
    TestImages.ensure();
    dir = Files.createTempDirectory("gantry-deploy-test");
    root = dir.resolve("root");
    infra = dir.resolve("infra");
    Files.createDirectories(infra);
    prefix = "gt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20)) + "-";
    exec.run(Duration.ofSeconds(30), "git", "init", "-q", infra.toString()).requireOk("git init");
    exec.run(Duration.ofSeconds(30), "git", "-C", infra.toString(), "config", "user.name", "Test Deployer").requireOk("git config");
    exec.run(Duration.ofSeconds(30), "git", "-C", infra.toString(), "config", "user.email", "deployer@example.com").requireOk("git config");
    ledger = new JsonLinesLedger(dir.resolve("data/deploy/ledger.jsonl"));
  }

  public HostTarget host(String name) {
    // projects are named after system and host, so hosts of one sandbox share its prefix
    return new HostTarget(name, name.equals("prod") ? "production" : "test", "127.0.0.1", exec, root.toString(), prefix);
  }

  public DeployOptions options() {
    return DeployOptions.defaults().withHealthTimeout(Duration.ofSeconds(40)).withKeepBackups(5)
        .withUnitDir(dir.resolve("systemd").toString());
  }

  public DeployEngine engine() {
    return engine(Optional.empty(), SecretSource.none());
  }

  public DeployEngine engine(Optional<S3BackupCopy> s3, SecretSource secrets) {
    DeployListener l = new DeployListener() {
      @Override
      public void progress(String line) {
        progress.add(line);
      }
    };
    return new DeployEngine(new DeployContext(ledger, Optional.of(InfraRepo.open(infra)), Clock.systemUTC(),
        "Test Deployer <deployer@example.com>", s3, secrets, options(), l));
  }

  /** SHA-256 of every file in a Docker volume, with its path: equal output means byte-identical data. */
  public String volumeChecksums(String dockerVolume) {
    String mp = sh("docker volume inspect --format '{{.Mountpoint}}' " + dockerVolume).strip();
    return sh("cd '" + mp + "' && find . -type f -print0 | sort -z | xargs -0 -r sha256sum");
  }

  /** Runs a command and returns its stdout, failing the test on a non-zero exit. */
  public String sh(String script) {
    return exec.run(Duration.ofMinutes(2), "sh", "-c", script).requireOk(script).stdout();
  }

  @Override
  public void close() {
    List<String> errors = new ArrayList<>();
    // services first, so swarm starts no task that would hold a volume again
    run("docker service ls --format '{{.Name}}' 2>/dev/null | grep '^" + prefix + "' | xargs -r docker service rm", errors);
    removeContainers(errors);
    run("docker network ls --format '{{.Name}}' | grep '^" + prefix + "' | xargs -r docker network rm", errors);
    // a stack's task containers go away a while after `docker stack rm`; a volume is free once they are gone
    String volumes = "docker volume ls -q | grep '^" + prefix + "' | xargs -r docker volume rm -f";
    var removed = exec.run(Duration.ofMinutes(2), "sh", "-c", volumes);
    for (int attempt = 1; attempt < 30 && !removed.ok(); attempt++) {
      sleep(1000);
      removeContainers(new ArrayList<>());
      removed = exec.run(Duration.ofMinutes(2), "sh", "-c", volumes);
    }
    if (!removed.ok()) {
      errors.add(removed.tail());
    }
    exec.run(Duration.ofMinutes(1), "rm", "-rf", dir.toString());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("cleanup: " + errors);
    }
  }

  /** Every container of this sandbox's compose projects and swarm stacks, all start with the prefix. */
  private void removeContainers(List<String> errors) {
    for (String label : List.of("com.docker.compose.project", "com.docker.stack.namespace")) {
      run("docker ps -aq --filter label=" + label + " | xargs -r docker inspect --format '{{.Id}} {{index .Config.Labels \"" + label
          + "\"}}' | awk '$2 ~ /^" + prefix + "/ {print $1}' | xargs -r docker rm -f", errors);
    }
  }

  private void run(String script, List<String> errors) {
    var r = exec.run(Duration.ofMinutes(2), "sh", "-c", script);
    if (!r.ok()) {
      errors.add(r.tail());
    }
  }

  /** Sleeps, keeping the interrupt for the caller: tests wait for Docker and for traffic with it. */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
