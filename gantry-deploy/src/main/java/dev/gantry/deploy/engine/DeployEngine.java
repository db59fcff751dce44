package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.Labels;
import dev.gantry.deploy.generate.SystemdUnitGenerator;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.ReleaseRecord.Kind;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.SystemValidator;
import dev.gantry.deploy.policy.RollbackPolicy.Decision;
import dev.gantry.deploy.policy.RollbackPolicy;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.runtime.ContainerRuntime;
import dev.gantry.deploy.runtime.HealthGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deploys and rolls back systems on hosts, restores backups. A deploy validates the model and
 * checks images, ports, volumes and generated files before touching anything; then, under a
 * lock: ensures the data volumes, backs them all up (and copies the backup to S3 when
 * configured), writes the files, starts the release beside the old one and waits for every
 * health check; only then does the front switch to it (see {@link Rollout}). A release that
 * does not become healthy never receives a request and the one that ran before keeps
 * serving; the ledger says why. Every change is recorded in the ledger and the hosts
 * registry is committed.
 *
 * <pre>{@code
 * DeployEngine engine = new DeployEngine(context);
 * DeployResult plan = engine.plan(system, prod, Release.parse("abc123f", system), runtime);
 * DeployResult r = engine.deploy(system, prod, Release.parse("abc123f", system), runtime);
 * DeployResult back = engine.rollback(system, prod, null, false, runtime);
 * }</pre>
 */
public final class DeployEngine {
  private static final Duration INSPECT_TIMEOUT = Duration.ofMinutes(2);

  private final DeployContext ctx;

  public DeployEngine(DeployContext ctx) {
    // a deploy reports from more than one thread (old instances retire while the registry is committed)
    this.ctx = ctx.withListener(DeployListener.serialized(ctx.listener()));
  }

  public DeployContext context() {
    return ctx;
  }

  /** Checks everything a deploy of {@code release} would and returns its plan; changes nothing. */
  public DeployResult plan(GantrySystem system, HostTarget host, Release release, ContainerRuntime runtime) {
    return DeployResult.dryRun(rollout(Kind.DEPLOY, system, host, runtime, release, Optional.empty(), null).plan());
  }

  /** Deploys {@code release}. */
  public DeployResult deploy(GantrySystem system, HostTarget host, Release release, ContainerRuntime runtime) {
    return rollout(Kind.DEPLOY, system, host, runtime, release, Optional.empty(), null).run();
  }

  private Rollout rollout(Kind kind, GantrySystem system, HostTarget host, ContainerRuntime runtime, Release release,
      Optional<Restore> restore, String note) {
    SystemValidator.requireValid(system);
    String verb = kind.name().toLowerCase() + " " + system.name() + " " + release.label() + " to " + host.name();
    return new Rollout(this, kind, system, host, runtime, release, schemas(system), restore, note, verb);
  }

  /**
   * The place of {@code system} on {@code host}: {@code <prefix><system>-<host>}, or, for a
   * system deployed there before this naming, the project {@code <prefix><system>} the ledger
   * recorded, so its volumes are found again. A different prefix is a different place.
   */
  public Layout layout(GantrySystem system, HostTarget host) {
    return layout(system.name(), host);
  }

  /** As {@link #layout(GantrySystem, HostTarget)}, by the system's name. */
  public Layout layout(String system, HostTarget host) {
    Layout own = host.layout(system);
    String legacy = host.prefix() + system;
    return recorded(system, host).filter(p -> p.equals(legacy)).map(p -> new Layout(host.root(), p)).orElse(own);
  }

  /** Where the ledger says {@code system} last ran on {@code host}, whatever the prefix; else {@link #layout}. */
  public Layout recordedLayout(String system, HostTarget host) {
    return recorded(system, host).map(p -> new Layout(host.root(), p)).orElseGet(() -> layout(system, host));
  }

  private Optional<String> recorded(String system, HostTarget host) {
    List<ReleaseRecord> h = ctx.ledger().history(system, host.name());
    return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1).project());
  }

  /**
   * Rolls back to {@code toRelease} (or the release before the current one) as the
   * {@link RollbackPolicy} allows; a refusal is a {@link UserError} explaining why.
   */
  public DeployResult rollback(GantrySystem system, HostTarget host, String toRelease, boolean acceptDataLoss,
      ContainerRuntime runtime) {
    SystemValidator.requireValid(system);
    Layout layout = layout(system, host);
    List<ReleaseRecord> history = ctx.ledger().history(system.name(), host.name());
    RollbackPolicy.EventInspector inspector = (service, since) -> inspect(runtime, layout, host, service, since).lines().toList();
    Decision d = RollbackPolicy.decide(system, history, toRelease, acceptDataLoss, inspector);
    return switch (d) {
      case Decision.Refuse r -> throw new UserError("rollback of " + system.name() + " on " + host.name() + " refused: " + r.reason());
      case Decision.Redeploy r -> {
        ctx.listener().progress(r.explanation());
        yield change(Kind.ROLLBACK, system, host, runtime, releaseOf(system, r.target()), r.target().schemas(),
            Optional.empty(), r.explanation(), "rollback " + system.name() + " on " + host.name() + " to "
                + r.target().release() + " (from " + r.from().release() + ")");
      }
      case Decision.RestoreAndRedeploy r -> {
        ctx.listener().progress(r.explanation());
        BackupStore store = store(layout, host);
        DataStep step = new DataStep("restoring " + String.join(", ", r.volumes()) + " from backup " + r.backupId(),
            r.volumes(), () -> store.restore(r.backupId(), r.volumes()));
        yield change(Kind.ROLLBACK, system, host, runtime, releaseOf(system, r.target()), r.target().schemas(),
            Optional.of(new Restore(step, r.backupId())), r.explanation(), "rollback " + system.name() + " on "
                + host.name() + " to " + r.target().release() + " (from " + r.from().release() + ") restoring backup "
                + r.backupId());
      }
    };
  }

  /** The backups of a system on a host. */
  public BackupStore store(GantrySystem system, HostTarget host) {
    return store(layout(system, host), host);
  }

  BackupStore store(Layout layout, HostTarget host) {
    return new BackupStore(new Docker(host.executor()), layout, ctx.clock());
  }

  /** Backs up every data volume now, under the system's lock; prunes and copies as a deploy does. */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public Backup backupNow(GantrySystem system, HostTarget host) {
    Layout layout = layout(system, host);
    if (system.volumes().isEmpty()) {
      throw new UserError("system '" + system.name() + "' declares no data volumes; there is nothing to back up");
    }
    try (HostLock lock = HostLock.acquire(host.executor(), layout, ctx.who(), ctx.clock().instant())) {
      Docker docker = new Docker(host.executor());
      ensureVolumes(system, docker, layout);
      String release = ctx.ledger().current(system.name(), host.name()).map(ReleaseRecord::release).orElse("none");
      Backup b = takeBackup(system, host, layout, release);
      pruneBackups(layout, host);
      return b;
    }
  }

  /**
   * Restores {@code volumes} (all when empty) from a backup. Everything that can be checked is
   * checked before anything stops: the backup exists and its checksums match, and it holds
   * every named volume of the system. Then the current data is backed up (so the restore
   * can itself be undone), the services that mount those volumes stop, the data is restored
   * and they start again, health-gated. If anything fails after they stopped, they are
   * started again and the message says so.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public String restore(GantrySystem system, HostTarget host, ContainerRuntime runtime, String backupId, List<String> volumes) {
    return new VolumeRestore(this, system, host, runtime, backupId, volumes).run();
  }

  /** Internal: a data step with the backup it came from, for messages and the ledger. */
  record Restore(DataStep step, String fromBackup) {}

  /** A deploy-shaped change with an optional data step, for rollbacks and clones. */
  DeployResult change(Kind kind, GantrySystem system, HostTarget host, ContainerRuntime runtime, Release release,
      Map<String, Integer> schemas, Optional<Restore> restore, String note, String verb) {
    SystemValidator.requireValid(system);
    return new Rollout(this, kind, system, host, runtime, release, schemas, restore, note, verb).run();
  }

  void ensureVolumes(GantrySystem system, Docker docker, Layout layout) {
    ensureVolumes(system, docker, layout, Set.of());
  }

  /** As {@link #ensureVolumes(GantrySystem, Docker, Layout)}, not asking again about the volumes just seen to exist. */
  void ensureVolumes(GantrySystem system, Docker docker, Layout layout, Set<String> existing) {
    for (String v : system.volumes()) {
      if (!existing.contains(layout.volumeName(v)) && docker.ensureVolume(layout.volumeName(v), Map.of(Labels.SYSTEM, system.name(), Labels.VOLUME, v))) {
        ctx.listener().progress("created volume " + layout.volumeName(v));
      }
    }
  }

  Backup takeBackup(GantrySystem system, HostTarget host, Layout layout, String runningRelease) {
    return takeBackup(system, host, layout, runningRelease, system.volumes());
  }

  Backup takeBackup(GantrySystem system, HostTarget host, Layout layout, String runningRelease, List<String> volumes) {
    BackupStore store = store(layout, host);
    ctx.listener().progress("backing up " + String.join(", ", volumes));
    Backup b = store.create(system.name(), runningRelease, volumes);
    ctx.listener().progress("backup " + b.id() + ": " + b.archives().size() + " archive(s), " + b.totalBytes() + " bytes");
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

  /** Deletes all but the newest {@code keepBackups} backups of the place; a failure is said, not thrown. */
  void pruneBackups(Layout layout, HostTarget host) {
    try {
      List<String> pruned = store(layout, host).prune(ctx.options().keepBackups());
      if (!pruned.isEmpty()) {
        ctx.listener().progress("deleted old backups " + String.join(", ", pruned));
      }
    } catch (RuntimeException e) {
      ctx.listener().progress("deleting old backups failed: " + e.getMessage());
    }
  }

  void installUnit(Target exec, Layout layout, GantrySystem system, Release release, ComposeRuntime compose) {
    String path = ctx.options().unitDir() + "/" + layout.unitName();
    exec.writeMakingFolders(path, SystemdUnitGenerator.unit(layout, system.name(), release.label(), compose.commandLine())
        .getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
    if (exec.exists("/run/systemd/system") && ctx.options().unitDir().equals(DeployOptions.defaults().unitDir())) {
      exec.run(Duration.ofSeconds(60), "systemctl", "daemon-reload").requireOk("reloading systemd");
      exec.run(Duration.ofSeconds(60), "systemctl", "enable", layout.unitName()).requireOk("enabling " + layout.unitName());
      ctx.listener().progress("enabled " + layout.unitName() + ": the system starts at boot");
    } else {
      ctx.listener().progress("wrote " + path + " (systemd does not manage this host's boot here; not enabled)");
    }
  }

  private String inspect(ContainerRuntime runtime, Layout layout, HostTarget host, Service service, Instant since) {
    String name = runningName(runtime, layout, service.name());
    ProcessResult r = runtime.exec(layout, name, service.inspect().orElseThrow(), Map.of("GANTRY_SINCE", since.toString(),
        "GANTRY_SINCE_EPOCH", String.valueOf(since.getEpochSecond())), INSPECT_TIMEOUT);
    if (!r.ok()) {
      throw new UserError("the inspect command of service " + service.name() + " failed on " + host.name()
          + " (exit " + r.exitCode() + "): " + r.tail() + "; cannot tell which events would be lost");
    }
    return r.stdout();
  }

  /** The name a declared service's running container has (its instance name under compose). */
  static String runningName(ContainerRuntime runtime, Layout layout, String service) {
    return runningName(runtime.states(layout), service);
  }

  private static String runningName(List<ContainerState> states, String service) {
    return states.stream().filter(c -> c.running() && (c.declared().equals(service) || c.service().equals(service)))
        .map(ContainerState::service).findFirst().orElse(service);
  }

  /** Declared service to image, keyed instead by the name each one runs under now (one look at the containers). */
  static Map<String, String> byRunningName(ContainerRuntime runtime, Layout layout, Map<String, String> images) {
    List<ContainerState> states = runtime.states(layout);
    Map<String, String> out = new LinkedHashMap<>();
    images.forEach((service, image) -> out.put(runningName(states, service), image));
    return out;
  }

  /**
   * Starts what the system's folder holds and waits for the gate: every service of
   * {@code expected} (the name it runs under to its image) running and healthy. Returns why it
   * failed, or null. Never throws: whatever goes wrong here is a failed gate for the caller to
   * recover from.
   */
  String startAndWait(ContainerRuntime runtime, Layout layout, GantrySystem system, Map<String, String> expected) {
    return startAndWait(runtime, layout, system, expected, List.of());
  }

  /**
   * As {@link #startAndWait(ContainerRuntime, Layout, GantrySystem, Map)} after a change to
   * running containers: health verdicts {@code before} (a look taken ahead of the change)
   * already held are not taken as the gate's (see {@link HealthGate#evaluate(List, Map, List)}).
   */
  String startAndWait(ContainerRuntime runtime, Layout layout, GantrySystem system, Map<String, String> expected,
      List<ContainerState> before) {
    String failure = start(runtime, layout, system);
    return failure != null ? failure : awaitGate(runtime, layout, system, expected, before, states -> { });
  }

  /** Starts what the system's folder holds; returns why it failed, or null. */
  String start(ContainerRuntime runtime, Layout layout, GantrySystem system) {
    try {
      runtime.start(layout, system);
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /** Waits for the gate of {@link #startAndWait}; returns why it failed, or null. */
  String awaitGate(ContainerRuntime runtime, Layout layout, GantrySystem system, Map<String, String> expected) {
    return awaitGate(runtime, layout, system, expected, List.of(), states -> { });
  }

  /**
   * As {@link #awaitGate(ContainerRuntime, Layout, GantrySystem, Map)}, not taking the health
   * verdicts {@code before} held as the gate's, and handing each look at the containers to {@code seen}.
   */
  String awaitGate(ContainerRuntime runtime, Layout layout, GantrySystem system, Map<String, String> expected,
      List<ContainerState> before, Consumer<List<ContainerState>> seen) {
    try {
      List<ContainerState> last = new ArrayList<>();
      HealthGate.Verdict v = HealthGate.await(
          () -> runtime.failure(layout, system, expected).<HealthGate.Verdict>map(HealthGate.Verdict.Failed::new)
              .orElseGet(() -> {
                List<ContainerState> states = last.isEmpty() ? runtime.states(layout) : runtime.refresh(layout, last);
                last.clear();
                last.addAll(states);
                seen.accept(states);
                return HealthGate.evaluate(states, expected, before);
              }),
          ctx.options().healthTimeout(), ctx.clock(), ctx.options().pollEvery());
      return v instanceof HealthGate.Verdict.Failed f ? f.reason() : null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  void commitRegistry(HostTarget host, ReleaseRecord rec, String verb) {
    ctx.infra().ifPresent(repo -> {
      HostsRegistry reg = repo.readRegistry().with(host.name(), host.role(), host.address(), rec.system(),
          new HostsRegistry.SystemEntry(rec.release(), rec.tags(), rec.runtime(), rec.at().toString(), rec.by(), rec.seq(),
              rec.kind() == Kind.DEPLOY ? null : rec.kind().name().toLowerCase() + ": " + rec.reason()));
      String id = repo.commitRegistry(reg, verb + "\n\nLedger entry " + rec.seq() + ", by " + rec.by()
          + (rec.backupId() == null ? "" : ", backup " + rec.backupId()) + "\n", repo.who());
      if (id != null) {
        ctx.listener().progress("committed " + HostsRegistry.FILE + " (" + id.substring(0, 10) + ")");
      }
    });
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
