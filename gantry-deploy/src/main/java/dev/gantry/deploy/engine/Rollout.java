package dev.gantry.deploy.engine;

import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.process.Background;
import dev.gantry.core.target.Target;
import dev.gantry.core.text.UnifiedDiff;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.docker.ContainerState;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.ComposeGenerator;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.NginxGenerator;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.ReleaseRecord.Kind;
import dev.gantry.deploy.ledger.ReleaseRecord.Outcome;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.model.VolumeMount;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One change of a system's release on one host (a deploy, a rollback or a clone) as a
 * command: the constructor checks everything that can be checked and plans each service's
 * fate without changing anything; {@link #plan()} prints that plan; {@link #run()} carries it
 * out under the host's lock; {@code recover} puts back what ran before when the new release
 * fails its gate.
 *
 * <p>Under compose, a release is blue/green behind the front: stateless services start as
 * new instances beside the old ones and pass their health checks there, the front proves
 * through nginx itself that it reaches them, and only then switches with a graceful reload.
 * The old instances drain and stop, and the last few are kept stopped so a rollback is a
 * start. A release that fails its gate never receives a request. Services that cannot run
 * twice (a data volume, a host port, dependents that reach them by name) are recreated in
 * place, and the plan says so.
 *
 * <pre>{@code
 * Rollout r = new Rollout(engine, Kind.DEPLOY, system, host, runtime, release, schemas, Optional.empty(), null, verb);
 * System.out.print(r.plan());
 * DeployResult result = r.run();
 * }</pre>
 */
final class Rollout {
  private final DeployEngine engine;
  private final DeployContext ctx;
  private final Kind kind;
  private final GantrySystem system;
  private final HostTarget host;
  private final ContainerRuntime runtime;
  private final Release release;
  private final Map<String, Integer> schemas;
  private final Optional<DeployEngine.Restore> restore;
  private final String note;
  private final String verb;

  private final Layout layout;
  private final Target exec;
  private final Docker docker;
  private final SystemFolder folder;
  private final SystemFiles.Generated generated;
  private final Optional<ReleaseRecord> previous;
  private final ServicePlan services;
  private final Preflight.Pending checks;

  Rollout(DeployEngine engine, Kind kind, GantrySystem system, HostTarget host, ContainerRuntime runtime, Release release,
      Map<String, Integer> schemas, Optional<DeployEngine.Restore> restore, String note, String verb) {
    this.engine = engine;
    this.ctx = engine.context();
    this.kind = kind;
    this.system = system;
    this.host = host;
    this.runtime = runtime;
    this.release = release;
    this.schemas = schemas;
    this.restore = restore;
    this.note = note;
    this.verb = verb;
    this.layout = engine.layout(system, host);
    this.exec = host.executor();
    this.docker = new Docker(exec);
    this.folder = new SystemFolder(exec, layout);
    this.generated = SystemFiles.generate(system, release, layout, runtime.swarm(), ctx.secrets());
    ctx.listener().progress("checking " + system.name() + " " + release.label() + " for " + host.name() + " ("
        + exec.name() + ", " + runtime.name() + ", project " + layout.project() + ")");
    Optional<String> runningFile = folder.read(runtime.swarm() ? SystemFiles.STACK : SystemFiles.COMPOSE);
    this.services = ServicePlan.of(system, runningFile, generated.model(), runtime.swarm());
    this.previous = ctx.ledger().current(system.name(), host.name());
    this.checks = Preflight.run(system, release, docker, runtime, layout, generated.files(), runningFile, folder,
        ctx.options(), services.frontKept());
  }

  /** What {@link #run()} would do, for a dry run. */
  String plan() {
    checks.await();
    StringBuilder b = new StringBuilder();
    b.append("Plan: ").append(system.name()).append(' ').append(release.label()).append(" on ").append(host.name())
        .append(" (").append(exec.name()).append(", ").append(runtime.name()).append(", project ")
        .append(layout.project()).append(")\n");
    b.append("  running now: ").append(previous.map(p -> p.release() + " (ledger entry " + p.seq() + ")").orElse("nothing"))
        .append('\n');
    b.append("  images (all present):\n");
    Preflight.images(system, release).forEach((s, i) -> b.append("    ").append(s).append(": ").append(i).append('\n'));
    b.append("  services:\n");
    services.changes().forEach(c -> b.append("    ").append(c.describe()).append('\n'));
    if (!services.downtime().isEmpty()) {
      b.append("  down while recreated: ").append(String.join(", ", services.downtime().stream()
          .map(ServicePlan.Change.Recreated::service).toList())).append('\n');
    }
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
    int m = n;
    if (restore.isPresent()) {
      DataStep step = restore.get().step();
      b.append(m++).append(". stop ").append(String.join(", ", servicesMounting(step.volumes()))).append(" and ")
          .append(step.description()).append('\n');
    }
    b.append(m++).append(". write files in ").append(layout.dir()).append(":\n");
    for (GeneratedFile f : generated.files()) {
      Optional<String> now = folder.read(f.relativePath());
      String state = now.isEmpty() ? "new" : now.get().equals(f.content()) ? "unchanged" : "changed";
      b.append("   ").append(f.relativePath()).append(": ").append(state);
      if (f.secret()) {
        b.append(" (secret: content not shown)\n");
      } else if (state.equals("changed")) {
        b.append('\n').append(UnifiedDiff.of("/" + f.relativePath(), now.get(), f.content()).indent(6));
      } else {
        b.append('\n');
      }
    }
    if (runtime.needsBootUnit()) {
      b.append(m++).append(". write ").append(ctx.options().unitDir()).append('/').append(layout.unitName()).append('\n');
    }
    b.append(m++).append(". start with ").append(runtime.name()).append(" and wait up to ")
        .append(ctx.options().healthTimeout().toSeconds()).append("s for every service to be healthy\n");
    if (services.switchesFront() && system.frontend().isPresent()) {
      b.append(m++).append(". prove every route through the front, then switch it with a graceful reload; ")
          .append("the old instances drain (up to ").append(ctx.options().drainTimeout().toSeconds())
          .append("s) and stop, the last ").append(ctx.options().keepInstances()).append(" kept\n");
    }
    b.append(m++).append(". if it fails: ").append(previous.map(p -> "back to " + p.release() + "; the front never switches to a "
        + "release that failed").orElse("stop it")).append('\n');
    b.append(m).append(". record in the ledger").append(ctx.infra().isPresent() ? " and commit " + HostsRegistry.FILE : "")
        .append('\n');
    return b.toString();
  }

  @SuppressWarnings("try") // the lock is held for the block's duration
  DeployResult run() {
    Instant started = ctx.clock().instant();
    HostLock lock;
    try {
      lock = HostLock.acquire(exec, layout, ctx.who(), started);
    } catch (RuntimeException e) {
      checks.close();
      throw e;
    }
    // the checks end (their staged files removed) before the lock is let go
    try (lock; checks) {
      engine.ensureVolumes(system, docker, layout, checks.existingVolumes());
      // the backup changes nothing that runs, so it is taken while the compose file is still being checked
      Backup backup = system.volumes().isEmpty() ? null
          : engine.takeBackup(system, host, layout, previous.map(ReleaseRecord::release).orElse("none"));
      checks.await();
      boolean hadPrevious = folder.saveAsPrevious();
      // the front keeps routing to what runs now until the new instances are proven, unless
      // that is gone (removed or crashed): then there is nothing to switch from
      boolean switching = !runtime.swarm() && hadPrevious && services.switchesFront()
          && system.frontend().isPresent() && services.previousNames().containsKey(Frontend.SERVICE);
      List<String> gone = switching ? services.notServing(running(checks.states())) : List.of();
      if (!gone.isEmpty()) {
        // rare, and it decides to start without a switch: the engine is asked again rather than trusted once
        gone = services.notServing(running(runtime.states(layout)));
      }
      boolean frontGone = gone.contains(services.previousNames().getOrDefault(Frontend.SERVICE, ""));
      // a front that stays would route to instances that no longer run: it is pointed at the new ones as they start
      boolean repoint = !gone.isEmpty() && services.frontKept() && !frontGone;
      if (!gone.isEmpty()) {
        ctx.listener().progress(String.join(", ", gone) + " of the release that ran here " + (gone.size() == 1 ? "does" : "do")
            + " not run any more: " + release.label() + " starts without a switch");
        switching = false;
      }
      if (restore.isPresent()) {
        runDataStep(restore.get(), backup, hadPrevious);
      }
      String finalConf = generated.files().stream().filter(f -> f.relativePath().equals(SystemFiles.NGINX))
          .map(GeneratedFile::content).findFirst().orElse("");
      String servedConf = folder.read(SystemFiles.NGINX).orElse("");
      String interim = switching ? interim(servedConf) : "";
      ctx.listener().progress("writing " + String.join(", ", generated.files().stream().map(GeneratedFile::relativePath).toList())
          + " in " + layout.dir());
      folder.write(switching ? generated.withNginx(interim) : generated.files());
      Map<String, String> expected = expected();
      ctx.listener().progress("starting " + release.label() + " and waiting up to " + ctx.options().healthTimeout().toSeconds()
          + "s for " + String.join(", ", expected.keySet()) + " to be healthy");
      // a front the start leaves untouched takes the interim configuration (its live routes as
      // they are, the new instances behind its status port) while they are being started
      CompletableFuture<Optional<FrontSwitch>> interimLoad = CompletableFuture.completedFuture(Optional.empty());
      if (switching && services.frontKept()) {
        interimLoad = Background.supply(() -> {
          // the front stays as it is: the container the checks saw
          Optional<FrontSwitch> f = FrontSwitch.in(checks.states(), docker, folder, ctx.clock());
          f.ifPresent(running -> running.load(interim, servedConf));
          return f;
        });
      }
      String failure = engine.start(runtime, layout, system);
      AtomicReference<List<ContainerState>> lastSeen = new AtomicReference<>();
      Optional<FrontSwitch> front = Optional.empty();
      try {
        front = interimLoad.join();
      } catch (CompletionException e) {
        failure = failure != null ? failure : e.getCause().getMessage();
      }
      boolean interimLoaded = front.isPresent();
      // a front whose container was gone starts anew from the file just written
      String frontServes = switching ? interim : frontGone ? finalConf : servedConf;
      if (failure == null && repoint && !finalConf.equals(servedConf)) {
        try {
          front = FrontSwitch.find(runtime, docker, layout, folder, ctx.clock());
          if (front.isPresent()) {
            ctx.listener().progress("pointing the front at " + String.join(", ", switchedNames()));
            front.get().load(finalConf, servedConf);
            frontServes = finalConf;
          }
        } catch (RuntimeException e) {
          failure = e.getMessage();
        }
      }
      if (failure == null) {
        failure = engine.awaitGate(runtime, layout, system, expected, List.of(), seen -> lastSeen.set(seen));
      }
      boolean switched = false;
      if (failure == null && !finalConf.isEmpty() && hadPrevious) {
        try {
          if (front.isEmpty()) {
            front = FrontSwitch.find(runtime, docker, layout, folder, ctx.clock());
          }
          if (front.isPresent() && switching && !interimLoaded) {
            front.get().load(interim, servedConf);
          }
          if (front.isPresent() && !finalConf.equals(frontServes)) {
            ctx.listener().progress(switching ? "switching the front to " + String.join(", ", switchedNames())
                : "reloading the front's configuration");
            // each route is proven through nginx to reach its new instance in the same step
            front.get().load(finalConf, frontServes, switching ? NginxGenerator.routes(system) : List.of());
            switched = switching;
          }
        } catch (RuntimeException e) {
          failure = e.getMessage();
        }
      }
      if (failure == null) {
        ctx.listener().progress("all services healthy" + (switched ? "; the front serves " + release.label() : ""));
        return succeeded(started, backup, switched ? front : Optional.empty(), Optional.ofNullable(lastSeen.get()));
      }
      ctx.listener().progress(release.label() + " failed: " + failure);
      Recovery back = recover(failure, hadPrevious, backup);
      if (backup != null) {
        engine.pruneBackups(layout, host);
      }
      ReleaseRecord rec = ctx.ledger().append(record(back.outcome(), checks.identities(), backup,
          note == null ? back.reason() : note + " | " + back.reason(), started));
      String summary = verb + " failed: " + back.reason();
      ctx.listener().finished(rec, summary);
      return new DeployResult(Optional.of(rec), summary, "");
    }
  }

  /**
   * The release serves: the old instances drain and stop while the boot unit is written, the
   * ledger records the release and the hosts registry is committed (none depends on another).
   */
  private DeployResult succeeded(Instant started, Backup backup, Optional<FrontSwitch> switchedFront,
      Optional<List<ContainerState>> seen) {
    CompletableFuture<Void> retiring = CompletableFuture.allOf(Background.run(() -> retire(switchedFront, seen)),
        Background.run(() -> {
          if (backup != null) {
            engine.pruneBackups(layout, host);
          }
        }));
    try {
      if (runtime instanceof ComposeRuntime compose) {
        engine.installUnit(exec, layout, system, release, compose);
      }
      ReleaseRecord rec = ctx.ledger().append(record(Outcome.SUCCEEDED, checks.identities(), backup, note, started));
      engine.commitRegistry(host, rec, verb);
      String summary = verb + ": " + release.label() + " is healthy" + (backup == null ? "" : " (backup " + backup.id() + ")");
      retiring.join();
      ctx.listener().finished(rec, summary);
      return new DeployResult(Optional.of(rec), summary, "");
    } finally {
      retiring.exceptionally(e -> null).join(); // never leave the host's lock with containers still stopping
    }
  }

  /** The names of the running containers among {@code states}. */
  private static Set<String> running(List<ContainerState> states) {
    return states.stream().filter(ContainerState::running).map(ContainerState::service).collect(Collectors.toSet());
  }

  /** The services that mount any of {@code volumes}. */
  private List<String> servicesMounting(Collection<String> volumes) {
    return system.services().stream().filter(s -> s.volumes().stream().anyMatch(v -> volumes.contains(v.volume())))
        .map(Service::name).toList();
  }

  /**
   * A data step (restoring a backup, importing cloned data) runs with the services that
   * mount those volumes stopped; the rest keeps serving. If it fails, the volumes come back
   * from the backup just taken and the services start again.
   */
  private void runDataStep(DeployEngine.Restore r, Backup backup, boolean hadPrevious) {
    List<String> users = servicesMounting(r.step().volumes());
    if (hadPrevious) {
      ctx.listener().progress("stopping " + String.join(", ", users) + " (they mount " + String.join(", ", r.step().volumes()) + ")");
      runtime.stopServices(layout, system, users);
    }
    ctx.listener().progress(r.step().description());
    try {
      r.step().action().run();
    } catch (RuntimeException e) {
      String back = putBack(backup, r.step().volumes(), hadPrevious);
      throw new dev.gantry.core.UserError(e.getMessage() + "; " + back, e);
    }
  }

  private String putBack(Backup backup, List<String> volumes, boolean hadPrevious) {
    try {
      if (backup != null) {
        engine.store(layout, host).restore(backup.id(), volumes);
      }
      if (hadPrevious) {
        runtime.start(layout, system);
      }
      return host.name() + " was put back as it was";
    } catch (RuntimeException again) {
      return "putting " + host.name() + " back failed too (" + again.getMessage() + "); start it with `gantry deploy` or "
          + "restore backup " + (backup == null ? "(none)" : backup.id());
    }
  }

  /**
   * While the new instances are proven, the front serves exactly what it serves now, plus
   * candidate probes to them: the new release may route differently.
   */
  private String interim(String served) {
    return NginxGenerator.withCandidates(served, system, generated.model().names()).orElseGet(() -> {
      // a configuration of an older Gantry: the new routes to the running instances
      Map<String, String> live = new LinkedHashMap<>(generated.model().names());
      live.putAll(services.previousNames());
      return NginxGenerator.config(system, release.label(), live, generated.model().names());
    });
  }

  private List<String> switchedNames() {
    return services.changes().stream().filter(c -> c instanceof ServicePlan.Change.StartsBeside)
        .map(c -> ((ServicePlan.Change.StartsBeside) c).newName()).toList();
  }

  /** The name each service runs under mapped to its image, for the gate. */
  private Map<String, String> expected() {
    Map<String, String> out = new LinkedHashMap<>();
    Preflight.images(system, release).forEach((service, image) -> out.put(generated.model().names().getOrDefault(service, service), image));
    return out;
  }

  private String startAndWait(Map<String, String> expected) {
    return engine.startAndWait(runtime, layout, system, expected);
  }

  /**
   * After a switch: the old instances drain and stop; the newest few stay (stopped) per
   * service for a quick rollback, older ones and those of services no longer declared are
   * removed. A problem here does not fail the release, which already serves; it is said.
   * {@code seen} is the gate's last look at the containers, when there was one: nothing has
   * started or stopped since, the host being locked.
   */
  private void retire(Optional<FrontSwitch> front, Optional<List<ContainerState>> seen) {
    if (runtime.swarm()) {
      return;
    }
    try {
      // nginx's old workers drain while the containers are looked at
      CompletableFuture<Integer> draining = front.map(f -> Background.supply(() -> f.drain(ctx.options().drainTimeout())))
          .orElse(CompletableFuture.completedFuture(0));
      Set<String> current = new LinkedHashSet<>(generated.model().names().values());
      List<ContainerState> old = seen.orElseGet(() -> runtime.states(layout)).stream()
          .filter(c -> !current.contains(c.service())).toList();
      List<String> stop = old.stream().filter(ContainerState::running).map(ContainerState::id).toList();
      if (!stop.isEmpty()) {
        if (front.isPresent()) {
          int busy = draining.join();
          if (busy > 0) {
            ctx.listener().progress(busy + " old nginx worker(s) still busy after " + ctx.options().drainTimeout().toSeconds()
                + "s; stopping the old instances anyway");
          }
        }
        ctx.listener().progress("stopping " + String.join(", ", old.stream().filter(ContainerState::running)
            .map(ContainerState::service).distinct().toList()));
        docker.stop(stop, Duration.ofSeconds(10));
      }
      Set<String> declared = new LinkedHashSet<>(generated.model().names().keySet());
      Map<String, List<ContainerState>> byService = old.stream().collect(Collectors.groupingBy(
          c -> c.declared().isEmpty() ? c.service() : c.declared(), LinkedHashMap::new, Collectors.toList()));
      List<String> remove = new ArrayList<>();
      byService.forEach((service, containers) -> {
        int keep = declared.contains(service) ? ctx.options().keepInstances() : 0;
        containers.stream().sorted(Comparator.comparing(ContainerState::created).reversed()).skip(keep)
            .forEach(c -> remove.add(c.id()));
      });
      if (!remove.isEmpty()) {
        docker.remove(remove);
        ctx.listener().progress("removed " + remove.size() + " old container(s)");
      }
    } catch (RuntimeException e) {
      ctx.listener().progress("cleaning up old instances failed (the release serves): " + e.getMessage());
    }
  }

  /** How putting back the earlier release ended, and the reason the ledger records. */
  private record Recovery(Outcome outcome, String reason) {}

  /** Puts back the release that ran before. */
  private Recovery recover(String failure, boolean hadPrevious, Backup backup) {
    if (!hadPrevious || previous.isEmpty()) {
      try {
        runtime.stop(layout, system);
      } catch (RuntimeException e) {
        ctx.listener().progress("stopping the failed release: " + e.getMessage());
      }
      return new Recovery(Outcome.FAILED,
          failure + "; no earlier release ran here, so the failed release was stopped (containers kept for their logs)");
    }
    ReleaseRecord prev = previous.get();
    Set<String> revert = new LinkedHashSet<>(restore.map(r -> r.step().volumes()).orElse(List.of()));
    revert.addAll(volumesOfChangedSchemas(prev.schemas()));
    ctx.listener().progress("rolling back to " + prev.release());
    // the failed release's health verdicts (a front judged through its routes) are not the earlier one's
    List<ContainerState> before = statesOrNone();
    String servedConf = folder.read(SystemFiles.NGINX).orElse("");
    folder.restorePrevious();
    String again;
    try {
      if (!revert.isEmpty() && backup != null) {
        runtime.stopServices(layout, system, servicesMounting(revert));
        ctx.listener().progress("restoring " + String.join(", ", revert) + " from backup " + backup.id());
        engine.store(layout, host).restore(backup.id(), List.copyOf(revert));
      }
      Map<String, String> prevExpected = previousExpected(prev);
      // the front may have been started with the failed release's routes: it goes back to the
      // earlier release's before the gate, whose front check goes through those routes
      Optional<String> prevConf = folder.read(SystemFiles.NGINX);
      if (prevConf.isPresent() && !prevConf.get().equals(servedConf)) {
        Optional<FrontSwitch> front = FrontSwitch.find(runtime, docker, layout, folder, ctx.clock());
        if (front.isPresent()) {
          front.get().load(prevConf.get(), servedConf);
        }
      }
      again = engine.startAndWait(runtime, layout, system, prevExpected, before);
      if (!runtime.swarm()) {
        Set<String> keep = prevExpected.keySet();
        List<String> newOnes = runtime.states(layout).stream()
            .filter(c -> c.running() && !keep.contains(c.service()) && generated.model().names().containsValue(c.service()))
            .map(ContainerState::id).toList();
        docker.stop(newOnes, Duration.ofSeconds(10));
      }
    } catch (RuntimeException e) {
      again = e.getMessage();
    }
    if (again == null) {
      return new Recovery(Outcome.ROLLED_BACK, failure + "; rolled back automatically to " + prev.release()
          + (revert.isEmpty() || backup == null ? "" : " restoring " + String.join(", ", revert) + " from backup " + backup.id())
          + ", which is healthy");
    }
    return new Recovery(Outcome.FAILED, failure + "; rolling back to " + prev.release() + " failed too: " + again);
  }

  private List<ContainerState> statesOrNone() {
    try {
      return runtime.states(layout);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** What ran before, by the name it runs under: from its compose file when it is there, else the ledger. */
  private Map<String, String> previousExpected(ReleaseRecord prev) {
    if (!runtime.swarm()) {
      Optional<String> text = folder.read(SystemFiles.COMPOSE);
      if (text.isPresent()) {
        Map<String, String> out = new LinkedHashMap<>();
        ComposeGenerator.services(text.get()).forEach((name, entry) -> out.put(name, String.valueOf(entry.get("image"))));
        return out;
      }
    }
    return prev.images();
  }

  private List<String> volumesOfChangedSchemas(Map<String, Integer> before) {
    List<String> out = new ArrayList<>();
    schemas.forEach((svc, v) -> {
      Integer old = before.get(svc);
      if (old != null && !old.equals(v)) {
        system.service(svc).ifPresent(s -> s.volumes().stream().map(VolumeMount::volume).filter(x -> !out.contains(x))
            .forEach(out::add));
      }
    });
    return out;
  }

  private ReleaseRecord record(Outcome outcome, Map<String, String> digests, Backup backup, String reason, Instant started) {
    return new ReleaseRecord(0, started, system.name(), host.name(), layout.project(), runtime.name(), kind, outcome,
        release.label(), release.tags(), Preflight.images(system, release), digests, schemas,
        backup == null ? null : backup.id(), restore.map(DeployEngine.Restore::fromBackup).orElse(null), ctx.who(), reason);
  }

}
