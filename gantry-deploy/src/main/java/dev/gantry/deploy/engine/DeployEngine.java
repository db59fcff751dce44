package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.exec.CommandFailed;
import dev.gantry.deploy.exec.ExecResult;
import dev.gantry.deploy.exec.Executor;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.Labels;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.generate.SystemdUnitGenerator;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.ledger.ReleaseRecord.Kind;
import dev.gantry.deploy.ledger.ReleaseRecord.Outcome;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.SystemValidator;
import dev.gantry.deploy.model.VolumeMount;
import dev.gantry.deploy.policy.RollbackPolicy;
import dev.gantry.deploy.policy.RollbackPolicy.Decision;
import dev.gantry.deploy.registry.HostsRegistry;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.runtime.ContainerRuntime;
import dev.gantry.deploy.runtime.HealthGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deploys and rolls back systems on hosts. A deploy validates the model and checks images
 * and generated files before touching anything; then, under a lock: ensures the data
 * volumes, backs them all up (and copies the backup to S3 when configured), writes the
 * compose file, nginx configuration and systemd unit, starts the release and waits for
 * every health check. A release that does not become healthy is rolled back to the one
 * that ran before, automatically, and the ledger says why. Every change is recorded in
 * the ledger and the hosts registry is committed.
 *
 * <pre>{@code
 * DeployEngine engine = new DeployEngine(context);
 * DeployResult r = engine.deploy(system, prod, Release.parse("abc123f", system), ComposeRuntime.detect(docker), false);
 * DeployResult back = engine.rollback(system, prod, null, false, runtime);
 * }</pre>
 */
public final class DeployEngine {
  private static final Clock WAIT_CLOCK = Clock.systemUTC();
  private static final Duration INSPECT_TIMEOUT = Duration.ofMinutes(2);

  private final DeployContext ctx;

  public DeployEngine(DeployContext ctx) {
    this.ctx = ctx;
  }

  public DeployContext context() {
    return ctx;
  }

  /** Deploys {@code release}; with {@code dryRun}, checks everything and returns the plan without changing anything. */
  public DeployResult deploy(GantrySystem system, HostTarget host, Release release, ContainerRuntime runtime, boolean dryRun) {
    SystemValidator.requireValid(system);
    Map<String, Integer> schemas = schemas(system);
    String verb = "deploy " + system.name() + " " + release.label() + " to " + host.name();
    return change(Kind.DEPLOY, system, host, runtime, release, schemas, Optional.empty(), null, verb, dryRun);
  }

  /**
   * Rolls back to {@code toRelease} (or the release before the current one) as the
   * {@link RollbackPolicy} allows; a refusal is a {@link UserError} explaining why.
   */
  public DeployResult rollback(GantrySystem system, HostTarget host, String toRelease, boolean acceptDataLoss,
      ContainerRuntime runtime) {
    SystemValidator.requireValid(system);
    Layout layout = host.layout(system.name());
    List<ReleaseRecord> history = ctx.ledger().history(system.name(), host.name());
    RollbackPolicy.EventInspector inspector = (service, since) -> inspect(runtime, layout, host, service, since).lines().toList();
    Decision d = RollbackPolicy.decide(system, history, toRelease, acceptDataLoss, inspector);
    return switch (d) {
      case Decision.Refuse r -> throw new UserError("rollback of " + system.name() + " on " + host.name() + " refused: " + r.reason());
      case Decision.Redeploy r -> {
        ctx.listener().progress(r.explanation());
        yield change(Kind.ROLLBACK, system, host, runtime, releaseOf(system, r.target()), r.target().schemas(),
            Optional.empty(), r.explanation(), "rollback " + system.name() + " on " + host.name() + " to "
                + r.target().release() + " (from " + r.from().release() + ")", false);
      }
      case Decision.RestoreAndRedeploy r -> {
        ctx.listener().progress(r.explanation());
        BackupStore store = store(system, host);
        DataStep step = new DataStep("restoring " + String.join(", ", r.volumes()) + " from backup " + r.backupId(),
            r.volumes(), () -> store.restore(r.backupId(), r.volumes()));
        yield change(Kind.ROLLBACK, system, host, runtime, releaseOf(system, r.target()), r.target().schemas(),
            Optional.of(new Restore(step, r.backupId())), r.explanation(), "rollback " + system.name() + " on "
                + host.name() + " to " + r.target().release() + " (from " + r.from().release() + ") restoring backup "
                + r.backupId(), false);
      }
    };
  }

  /** The backups of a system on a host. */
  public BackupStore store(GantrySystem system, HostTarget host) {
    return new BackupStore(new Docker(host.executor()), host.layout(system.name()), ctx.clock());
  }

  /** Backs up every data volume now, under the system's lock; prunes and copies as a deploy does. */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public Backup backupNow(GantrySystem system, HostTarget host) {
    Layout layout = host.layout(system.name());
    if (system.volumes().isEmpty()) {
      throw new UserError("system '" + system.name() + "' declares no data volumes; there is nothing to back up");
    }
    try (HostLock lock = HostLock.acquire(host.executor(), layout, ctx.who(), ctx.clock().instant())) {
      Docker docker = new Docker(host.executor());
      ensureVolumes(system, docker, layout);
      String release = ctx.ledger().current(system.name(), host.name()).map(ReleaseRecord::release).orElse("none");
      return takeBackup(system, host, release);
    }
  }

  /** Restores {@code volumes} (all when empty) from a backup: stops the system, restores, starts it and waits for health. */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public String restore(GantrySystem system, HostTarget host, ContainerRuntime runtime, String backupId, List<String> volumes) {
    Layout layout = host.layout(system.name());
    BackupStore store = store(system, host);
    Backup b = store.require(backupId);
    List<String> vols = volumes.isEmpty() ? b.archives().stream().map(Backup.Archive::volume).toList() : volumes;
    try (HostLock lock = HostLock.acquire(host.executor(), layout, ctx.who(), ctx.clock().instant())) {
      ctx.listener().progress("verifying backup " + backupId);
      var v = store.verify(backupId);
      if (!v.ok()) {
        throw new UserError("refusing to restore backup " + backupId + ": it failed verification:\n  - "
            + String.join("\n  - ", v.problems()));
      }
      boolean deployed = host.executor().exists(runtime.swarm() ? layout.stackFile() : layout.composeFile());
      if (deployed) {
        ctx.listener().progress("stopping " + layout.project());
        runtime.stop(layout, system);
      }
      ctx.listener().progress("restoring " + String.join(", ", vols) + " from " + backupId);
      store.restore(backupId, vols);
      if (!deployed) {
        return "restored " + String.join(", ", vols) + " from " + backupId + " (the system is not deployed on " + host.name() + ")";
      }
      Map<String, String> images = ctx.ledger().current(system.name(), host.name()).map(ReleaseRecord::images).orElse(Map.of());
      String failure = startAndWait(runtime, layout, system, images);
      if (failure != null) {
        throw new UserError("restored " + backupId + " but the system did not come back healthy: " + failure);
      }
      return "restored " + String.join(", ", vols) + " from " + backupId + "; " + system.name() + " is healthy again";
    }
  }

  /** Internal: a data step with the backup it came from, for messages and the ledger. */
  record Restore(DataStep step, String fromBackup) {}

  @SuppressWarnings("try") // the lock is held for the block's duration
  DeployResult change(Kind kind, GantrySystem system, HostTarget host, ContainerRuntime runtime, Release release,
      Map<String, Integer> schemas, Optional<Restore> restore, String note, String verb, boolean dryRun) {
    Executor exec = host.executor();
    Layout layout = host.layout(system.name());
    Docker docker = new Docker(exec);
    SystemFolder folder = new SystemFolder(exec, layout);
    List<GeneratedFile> files = SystemFiles.generate(system, release, layout, runtime.swarm(), ctx.secrets());
    Map<String, String> images = Preflight.images(system, release);
    ctx.listener().progress("checking " + system.name() + " " + release.label() + " for " + host.name() + " ("
        + exec.describe() + ", " + runtime.name() + ")");
    Preflight.run(system, release, docker, runtime, layout, files, folder);
    Optional<ReleaseRecord> previous = ctx.ledger().current(system.name(), host.name());
    if (dryRun) {
      return DeployResult.dryRun(plan(system, host, runtime, release, files, folder, previous, restore, docker, layout));
    }
    Instant started = ctx.clock().instant();
    try (HostLock lock = HostLock.acquire(exec, layout, ctx.who(), started)) {
      ensureVolumes(system, docker, layout);
      Backup backup = system.volumes().isEmpty() ? null
          : takeBackup(system, host, previous.map(ReleaseRecord::release).orElse("none"));
      boolean hadPrevious = folder.saveAsPrevious();
      if (restore.isPresent()) {
        if (hadPrevious) {
          ctx.listener().progress("stopping " + layout.project());
          runtime.stop(layout, system);
        }
        ctx.listener().progress(restore.get().step().description());
        try {
          restore.get().step().action().run();
        } catch (RuntimeException e) {
          putBack(system, host, runtime, layout, backup, restore.get().step().volumes(), hadPrevious);
          throw new UserError(e.getMessage() + "; " + host.name() + " was put back as it was", e);
        }
      }
      ctx.listener().progress("writing " + String.join(", ", files.stream().map(GeneratedFile::relativePath).toList())
          + " in " + layout.dir());
      folder.write(files);
      ctx.listener().progress("starting " + release.label() + " and waiting up to " + ctx.options().healthTimeout().toSeconds()
          + "s for " + String.join(", ", images.keySet()) + " to be healthy");
      String failure = startAndWait(runtime, layout, system, images);
      Map<String, String> digests = digests(docker, images);
      if (failure == null) {
        ctx.listener().progress("all services healthy");
        if (runtime instanceof ComposeRuntime compose) {
          installUnit(exec, layout, system, release, compose);
        }
        ReleaseRecord rec = ctx.ledger().append(record(kind, Outcome.SUCCEEDED, system, host, layout, runtime, release,
            images, digests, schemas, backup, restore.map(Restore::fromBackup).orElse(null), note, started));
        commitRegistry(system, host, rec, verb);
        String summary = verb + ": " + release.label() + " is healthy" + (backup == null ? "" : " (backup " + backup.id() + ")");
        ctx.listener().finished(rec, summary);
        return new DeployResult(Optional.of(rec), summary, "");
      }
      ctx.listener().progress(release.label() + " failed: " + failure);
      String reason;
      Outcome outcome;
      if (hadPrevious && previous.isPresent()) {
        ReleaseRecord prev = previous.get();
        Set<String> revert = new LinkedHashSet<>(restore.map(r -> r.step().volumes()).orElse(List.of()));
        revert.addAll(volumesOfChangedSchemas(system, prev.schemas(), schemas));
        ctx.listener().progress("rolling back to " + prev.release());
        folder.restorePrevious();
        String again;
        try {
          if (!revert.isEmpty() && backup != null) {
            runtime.stop(layout, system);
            ctx.listener().progress("restoring " + String.join(", ", revert) + " from backup " + backup.id());
            store(system, host).restore(backup.id(), List.copyOf(revert));
          }
          again = startAndWait(runtime, layout, system, prev.images());
        } catch (RuntimeException e) {
          again = e.getMessage();
        }
        if (again == null) {
          outcome = Outcome.ROLLED_BACK;
          reason = failure + "; rolled back automatically to " + prev.release()
              + (revert.isEmpty() || backup == null ? "" : " restoring " + String.join(", ", revert) + " from backup " + backup.id())
              + ", which is healthy";
        } else {
          outcome = Outcome.FAILED;
          reason = failure + "; rolling back to " + prev.release() + " failed too: " + again;
        }
      } else {
        outcome = Outcome.FAILED;
        try {
          runtime.stop(layout, system);
        } catch (RuntimeException e) {
          ctx.listener().progress("stopping the failed release: " + e.getMessage());
        }
        reason = failure + "; no earlier release ran here, so the failed release was stopped (containers kept for their logs)";
      }
      ReleaseRecord rec = ctx.ledger().append(record(kind, outcome, system, host, layout, runtime, release, images, digests,
          schemas, backup, restore.map(Restore::fromBackup).orElse(null), note == null ? reason : note + " | " + reason, started));
      String summary = verb + " failed: " + reason;
      ctx.listener().finished(rec, summary);
      return new DeployResult(Optional.of(rec), summary, "");
    }
  }

  /** After a data step failed: the touched volumes come back from the backup just taken, the old release starts again. */
  private void putBack(GantrySystem system, HostTarget host, ContainerRuntime runtime, Layout layout, Backup backup,
      List<String> volumes, boolean hadPrevious) {
    if (backup != null) {
      store(system, host).restore(backup.id(), volumes);
    }
    if (hadPrevious) {
      runtime.start(layout, system);
    }
  }

  private String plan(GantrySystem system, HostTarget host, ContainerRuntime runtime, Release release,
      List<GeneratedFile> files, SystemFolder folder, Optional<ReleaseRecord> previous, Optional<Restore> restore,
      Docker docker, Layout layout) {
    StringBuilder b = new StringBuilder();
    b.append("Plan: ").append(system.name()).append(' ').append(release.label()).append(" on ").append(host.name())
        .append(" (").append(host.executor().describe()).append(", ").append(runtime.name()).append(")\n");
    b.append("  running now: ").append(previous.map(p -> p.release() + " (ledger entry " + p.seq() + ")").orElse("nothing"))
        .append('\n');
    b.append("  images (all present):\n");
    Preflight.images(system, release).forEach((s, i) -> b.append("    ").append(s).append(": ").append(i).append('\n'));
    int n = 1;
    b.append(n++).append(". lock ").append(layout.lockDir()).append('\n');
    if (!system.volumes().isEmpty()) {
      b.append(n++).append(". ensure volumes:");
      for (String v : system.volumes()) {
        b.append(' ').append(layout.volumeName(v)).append(docker.volumeExists(layout.volumeName(v)) ? " (exists)" : " (create)");
      }
      b.append('\n');
      b.append(n++).append(". back up ").append(String.join(", ", system.volumes())).append(" to ").append(layout.backupsDir())
          .append(" (keep ").append(ctx.options().keepBackups()).append(")")
          .append(ctx.s3().isPresent() ? " and copy to S3" : "").append('\n');
    }
    if (restore.isPresent()) {
      b.append(n++).append(". stop and ").append(restore.get().step().description()).append('\n');
    }
    b.append(n++).append(". write files in ").append(layout.dir()).append(":\n");
    for (GeneratedFile f : files) {
      Optional<String> now = folder.read(f.relativePath());
      String state = now.isEmpty() ? "new" : now.get().equals(f.content()) ? "unchanged" : "changed";
      b.append("   ").append(f.relativePath()).append(": ").append(state);
      if (f.secret()) {
        b.append(" (secret: content not shown)\n");
      } else if (state.equals("changed")) {
        b.append('\n').append(LineDiff.diff(now.get(), f.content()).indent(6));
      } else {
        b.append('\n');
      }
    }
    if (runtime.needsBootUnit()) {
      b.append(n++).append(". write ").append(ctx.options().unitDir()).append('/').append(layout.unitName()).append('\n');
    }
    b.append(n++).append(". start with ").append(runtime.name()).append(" and wait up to ")
        .append(ctx.options().healthTimeout().toSeconds()).append("s for every service to be healthy\n");
    b.append(n++).append(". if it fails: ").append(previous.map(p -> "roll back to " + p.release()).orElse("stop it")).append('\n');
    b.append(n).append(". record in the ledger").append(ctx.infra().isPresent() ? " and commit " + HostsRegistry.FILE : "").append('\n');
    return b.toString();
  }

  private void ensureVolumes(GantrySystem system, Docker docker, Layout layout) {
    for (String v : system.volumes()) {
      if (docker.ensureVolume(layout.volumeName(v), Map.of(Labels.SYSTEM, system.name(), Labels.VOLUME, v))) {
        ctx.listener().progress("created volume " + layout.volumeName(v));
      }
    }
  }

  private Backup takeBackup(GantrySystem system, HostTarget host, String runningRelease) {
    BackupStore store = store(system, host);
    ctx.listener().progress("backing up " + String.join(", ", system.volumes()));
    Backup b = store.create(system.name(), runningRelease, system.volumes());
    ctx.listener().progress("backup " + b.id() + ": " + b.archives().size() + " archive(s), " + b.totalBytes() + " bytes");
    List<String> pruned = store.prune(ctx.options().keepBackups());
    if (!pruned.isEmpty()) {
      ctx.listener().progress("deleted old backups " + String.join(", ", pruned));
    }
    if (ctx.s3().isPresent()) {
      try {
        ctx.s3().get().upload(b, store);
        ctx.listener().progress("copied backup " + b.id() + " to S3");
      } catch (IOException e) {
        throw new UserError("copying backup " + b.id() + " to S3 failed (nothing was deployed): " + e.getMessage());
      }
    }
    return b;
  }

  private String startAndWait(ContainerRuntime runtime, Layout layout, GantrySystem system, Map<String, String> images) {
    try {
      runtime.start(layout, system);
    } catch (CommandFailed e) {
      return e.getMessage();
    }
    HealthGate.Verdict v = HealthGate.await(
        () -> runtime.failure(layout, system, images).<HealthGate.Verdict>map(HealthGate.Verdict.Failed::new)
            .orElseGet(() -> HealthGate.evaluate(runtime.states(layout), images)),
        ctx.options().healthTimeout(), WAIT_CLOCK, ctx.options().pollEvery());
    return v instanceof HealthGate.Verdict.Failed f ? f.reason() : null;
  }

  private void installUnit(Executor exec, Layout layout, GantrySystem system, Release release, ComposeRuntime compose) {
    String path = ctx.options().unitDir() + "/" + layout.unitName();
    exec.writeFile(path, SystemdUnitGenerator.unit(layout, system.name(), release.label(), compose.commandLine())
        .getBytes(StandardCharsets.UTF_8), false);
    if (exec.exists("/run/systemd/system") && ctx.options().unitDir().equals(DeployOptions.defaults().unitDir())) {
      exec.run(Duration.ofSeconds(60), "systemctl", "daemon-reload").requireOk("reloading systemd");
      exec.run(Duration.ofSeconds(60), "systemctl", "enable", layout.unitName()).requireOk("enabling " + layout.unitName());
      ctx.listener().progress("enabled " + layout.unitName() + ": the system starts at boot");
    } else {
      ctx.listener().progress("wrote " + path + " (systemd does not manage this host's boot here; not enabled)");
    }
  }

  private String inspect(ContainerRuntime runtime, Layout layout, HostTarget host, Service service, Instant since) {
    ExecResult r = runtime.exec(layout, service.name(), service.inspect().orElseThrow(), Map.of("GANTRY_SINCE", since.toString(), "GANTRY_SINCE_EPOCH", String.valueOf(since.getEpochSecond())),
        INSPECT_TIMEOUT);
    if (!r.ok()) {
      throw new UserError("the inspect command of service " + service.name() + " failed on " + host.name()
          + " (exit " + r.exitCode() + "): " + r.tail() + "; cannot tell which events would be lost");
    }
    return r.stdout();
  }

  private ReleaseRecord record(Kind kind, Outcome outcome, GantrySystem system, HostTarget host, Layout layout,
      ContainerRuntime runtime, Release release, Map<String, String> images, Map<String, String> digests,
      Map<String, Integer> schemas, Backup backup, String restoredFrom, String reason, Instant started) {
    return new ReleaseRecord(0, started, system.name(), host.name(), layout.project(), runtime.name(), kind, outcome,
        release.label(), release.tags(), images, digests, schemas, backup == null ? null : backup.id(), restoredFrom,
        ctx.who(), reason);
  }

  private void commitRegistry(GantrySystem system, HostTarget host, ReleaseRecord rec, String verb) {
    ctx.infra().ifPresent(repo -> {
      HostsRegistry reg = repo.readRegistry().with(host.name(), host.role(), host.address(), system.name(),
          new HostsRegistry.SystemEntry(rec.release(), rec.tags(), rec.runtime(), rec.at().toString(), rec.by(), rec.seq(),
              rec.kind() == Kind.DEPLOY ? null : rec.kind().name().toLowerCase() + ": " + rec.reason()));
      String id = repo.commitRegistry(reg, verb + "\n\nLedger entry " + rec.seq() + ", by " + rec.by()
          + (rec.backupId() == null ? "" : ", backup " + rec.backupId()) + "\n", repo.who());
      if (id != null) {
        ctx.listener().progress("committed " + HostsRegistry.FILE + " (" + id.substring(0, 10) + ")");
      }
    });
  }

  private static Map<String, String> digests(Docker docker, Map<String, String> images) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String ref : new LinkedHashSet<>(images.values())) {
      try {
        out.put(ref, docker.imageIdentity(ref));
      } catch (CommandFailed e) {
        out.put(ref, "unknown");
      }
    }
    return out;
  }

  /** Service name to event-schema version, for services that persist events. */
  public static Map<String, Integer> schemas(GantrySystem system) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Service s : system.services()) {
      if (s.persistsEvents()) {
        out.put(s.name(), s.eventSchema());
      }
    }
    return out;
  }

  private static List<String> volumesOfChangedSchemas(GantrySystem system, Map<String, Integer> before, Map<String, Integer> after) {
    List<String> out = new ArrayList<>();
    after.forEach((svc, v) -> {
      Integer old = before.get(svc);
      if (old != null && !old.equals(v)) {
        system.service(svc).ifPresent(s -> s.volumes().stream().map(VolumeMount::volume).filter(x -> !out.contains(x)).forEach(out::add));
      }
    });
    return out;
  }

  /** The release a ledger entry ran, checked against today's model. */
  static Release releaseOf(GantrySystem system, ReleaseRecord r) {
    for (Service s : system.services()) {
      if (!s.hasFixedTag() && !r.tags().containsKey(s.name())) {
        throw new UserError("service " + s.name() + " did not exist in release " + r.release()
            + ", so its tag there is unknown; roll forward, or remove the service from the definition first");
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Service s : system.services()) {
      if (r.tags().containsKey(s.name()) && !s.hasFixedTag()) {
        tags.put(s.name(), r.tags().get(s.name()));
      }
    }
    return Release.of(tags);
  }
}
