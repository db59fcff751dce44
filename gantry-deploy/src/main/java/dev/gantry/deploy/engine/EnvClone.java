package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.backup.Verification;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.SystemValidator;
import dev.gantry.deploy.model.VolumeMount;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clones an environment: the release running on one host, started on another with the
 * data of the first host's latest backup passed through each service's declared
 * anonymizer (the seed's test environment with anonymized production data). Every data
 * volume must be covered by an anonymizer, so raw production data never lands elsewhere;
 * when an anonymizer fails the copied data is wiped. The source is only read: its newest
 * backup is copied, and a target that is the source itself (the same project on the same
 * Docker Engine) is refused before anything changes.
 *
 * <pre>{@code
 * new EnvClone(engine).clone(system, prod, staging, runtime);
 * }</pre>
 */
public final class EnvClone {
  private static final Duration ANONYMIZE_TIMEOUT = Duration.ofMinutes(30);
  private final DeployEngine engine;

  public EnvClone(DeployEngine engine) {
    this.engine = engine;
  }

  /** {@code from}'s running release (its ledger's) on {@code to}, with {@code from}'s latest backup anonymized. */
  public DeployResult clone(GantrySystem system, HostTarget from, HostTarget to, ContainerRuntime runtime) {
    requireCloneable(system, from, to);
    ReleaseRecord running = engine.context().ledger().current(system.name(), from.name()).orElseThrow(() -> new UserError(
        "the ledger has no running release of system '" + system.name() + "' on " + from.name() + "; nothing to clone"));
    return cloneData(system, from, to, runtime, DeployEngine.releaseOf(system, running), running.schemas(),
        "clone " + system.name() + " " + running.release() + " from " + from.name() + " to " + to.name());
  }

  /**
   * {@code release} on {@code to}, with {@code from}'s latest backup passed through the
   * anonymizers of that release: a candidate tried on production's data, as a CI pipeline
   * does for staging. The ledger need not know {@code from}: its place is the definition's
   * (or the ledger's, when it knows one) and its backups are read on the host itself.
   *
   * <pre>{@code
   * new EnvClone(engine).cloneWith(system, prod, staging, runtime, Release.parse("abc123f", system));
   * }</pre>
   */
  public DeployResult cloneWith(GantrySystem system, HostTarget from, HostTarget to, ContainerRuntime runtime, Release release) {
    requireCloneable(system, from, to);
    return cloneData(system, from, to, runtime, release, DeployEngine.schemas(system),
        "clone " + system.name() + " data from " + from.name() + " to " + to.name() + " with " + release.label());
  }

  private static void requireCloneable(GantrySystem system, HostTarget from, HostTarget to) {
    SystemValidator.requireValid(system);
    if (from.name().equals(to.name())) {
      throw new UserError("cannot clone host " + from.name() + " onto itself");
    }
    List<String> uncovered = uncoveredVolumes(system);
    if (!uncovered.isEmpty()) {
      throw new UserError("system '" + system.name() + "': volume(s) " + String.join(", ", uncovered)
          + " are not mounted by any service that declares an anonymizer; refusing to copy that data unanonymized");
    }
  }

  private DeployResult cloneData(GantrySystem system, HostTarget from, HostTarget to, ContainerRuntime runtime, Release release,
      Map<String, Integer> schemas, String verb) {
    Layout fromLayout = engine.recordedLayout(system.name(), from); // the source is where it runs
    Layout toLayout = engine.layout(system, to);
    Docker fromDocker = new Docker(from.executor());
    Docker toDocker = new Docker(to.executor());
    if (fromLayout.project().equals(toLayout.project()) && fromDocker.engineId().equals(toDocker.engineId())) {
      throw new UserError("refusing to clone " + system.name() + " from " + from.name() + " to " + to.name()
          + " (nothing was changed): both resolve to project " + fromLayout.project() + " on the same Docker Engine, "
          + "so the clone would overwrite " + from.name() + "'s own volumes");
    }
    BackupStore fromStore = engine.store(fromLayout, from);
    Backup latest = fromStore.list().stream().findFirst().orElseThrow(() -> new UserError("there is no backup of '"
        + system.name() + "' on " + from.name() + " (project " + fromLayout.project() + ", " + fromLayout.backupsDir()
        + "); run `gantry backup create " + system.name() + " --host " + from.name() + "` first"));
    Verification v = fromStore.verify(latest.id());
    if (!v.ok()) {
      throw new UserError("the latest backup " + latest.id() + " on " + from.name() + " failed verification:\n  - "
          + String.join("\n  - ", v.problems()));
    }
    BackupStore toStore = engine.store(toLayout, to);
    DataStep step = new DataStep("importing backup " + latest.id() + " from " + from.name() + " and anonymizing it",
        system.volumes(), () -> {
          copy(fromStore, toStore, latest);
          toStore.restore(latest.id(), system.volumes());
          toStore.executor().delete(toStore.dir(latest.id())); // the raw copy goes; only anonymized volumes stay
          anonymize(system, release, to, toLayout);
        });
    return engine.change(ReleaseRecord.Kind.CLONE, system, to, runtime, release, schemas,
        Optional.of(new DeployEngine.Restore(step, latest.id())),
        "cloned from " + from.name() + " (backup " + latest.id() + "), anonymized", verb);
  }

  static List<String> uncoveredVolumes(GantrySystem system) {
    List<String> out = new ArrayList<>();
    for (String vol : system.volumes()) {
      boolean covered = system.services().stream().anyMatch(s -> s.anonymizer().isPresent()
          && s.volumes().stream().anyMatch(m -> m.volume().equals(vol)));
      if (!covered) {
        out.add(vol);
      }
    }
    return out;
  }

  private static void copy(BackupStore from, BackupStore to, Backup b) {
    List<String> files = new ArrayList<>(b.archives().stream().map(Backup.Archive::file).toList());
    files.add(BackupStore.MANIFEST);
    files.add(BackupStore.METADATA);
    for (String f : files) {
      try {
        Path tmp = Files.createTempFile("gantry-clone", ".part");
        try {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            from.executor().download(from.dir(b.id()) + "/" + f, out);
          }
          try (InputStream in = Files.newInputStream(tmp)) {
            to.executor().upload(in, to.dir(b.id()) + "/" + f);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("copying backup " + b.id() + ": " + e.getMessage(), e);
      }
    }
  }

  private static void anonymize(GantrySystem system, Release release, HostTarget to, Layout layout) {
    Docker docker = new Docker(to.executor());
    for (Service s : system.services()) {
      if (s.anonymizer().isEmpty()) {
        continue;
      }
      Map<String, String> mounts = new LinkedHashMap<>();
      for (VolumeMount m : s.volumes()) {
        mounts.put(layout.volumeName(m.volume()), m.path());
      }
      ProcessResult r = docker.runOneOff(release.image(s), mounts, s.anonymizer().get(), ANONYMIZE_TIMEOUT);
      if (!r.ok()) {
        for (String vol : system.volumes()) {
          to.executor().run(Duration.ofMinutes(10), "find", docker.mountpoint(layout.volumeName(vol)), "-mindepth", "1", "-delete");
        }
        throw new UserError("the anonymizer of service " + s.name() + " failed on " + to.name() + " (exit " + r.exitCode()
            + "): " + r.tail() + "; the copied data was wiped");
      }
    }
  }
}
