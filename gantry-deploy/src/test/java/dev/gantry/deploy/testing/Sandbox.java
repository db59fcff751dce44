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
    String filter = prefix;
    // compose projects and stacks of this sandbox all start with the prefix
    for (String script : List.of(
        "docker ps -aq --filter label=com.docker.compose.project | xargs -r docker inspect --format '{{.Id}} {{index .Config.Labels \"com.docker.compose.project\"}}' | awk '$2 ~ /^" + filter + "/ {print $1}' | xargs -r docker rm -f",
        "docker network ls --format '{{.Name}}' | grep '^" + filter + "' | xargs -r docker network rm",
        "docker volume ls -q | grep '^" + filter + "' | xargs -r docker volume rm -f")) {
      var r = exec.run(Duration.ofMinutes(2), "sh", "-c", script);
      if (!r.ok()) {
        errors.add(r.tail());
      }
    }
    exec.run(Duration.ofMinutes(1), "rm", "-rf", dir.toString());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("cleanup: " + errors);
    }
  }
}
