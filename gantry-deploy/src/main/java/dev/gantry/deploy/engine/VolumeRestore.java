package dev.gantry.deploy.engine;

import dev.gantry.core.UserError;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import dev.gantry.deploy.backup.Verification;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.ReleaseRecord;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.Service;
import dev.gantry.deploy.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code gantry backup restore}: puts volumes back from a backup without putting production
 * at risk. Every check runs before anything stops (the backup exists, its checksums match,
 * it holds each named volume, each is declared). The current data is backed up first, so a
 * restore of the wrong id can itself be undone. Only the services that mount the volumes
 * stop; the rest keeps serving. Whatever fails after they stopped, they are started again,
 * and the message says what happened.
 *
 * <pre>{@code
 * String said = new VolumeRestore(engine, system, prod, runtime, "20250524T101500Z-3f9a", List.of("events")).run();
 * }</pre>
 */
final class VolumeRestore {
  private final DeployEngine engine;
  private final DeployContext ctx;
  private final GantrySystem system;
  private final HostTarget host;
  private final ContainerRuntime runtime;
  private final String backupId;
  private final List<String> requested;

  VolumeRestore(DeployEngine engine, GantrySystem system, HostTarget host, ContainerRuntime runtime, String backupId,
      List<String> volumes) {
    this.engine = engine;
    this.ctx = engine.context();
    this.system = system;
    this.host = host;
    this.runtime = runtime;
    this.backupId = backupId;
    this.requested = List.copyOf(volumes);
  }

  @SuppressWarnings("try") // the lock is held for the block's duration
  String run() {
    Layout layout = engine.layout(system, host);
    BackupStore store = engine.store(layout, host);
    Backup b = store.require(backupId);
    List<String> vols = requested.isEmpty() ? b.archives().stream().map(Backup.Archive::volume).toList() : requested;
    check(b, vols);
    ctx.listener().progress("verifying backup " + backupId);
    Verification v = store.verify(backupId);
    if (!v.ok()) {
      throw new UserError("refusing to restore backup " + backupId + " (nothing was stopped): it failed verification:\n  - "
          + String.join("\n  - ", v.problems()));
    }
    Docker docker = new Docker(host.executor());
    try (HostLock lock = HostLock.acquire(host.executor(), layout, ctx.who(), ctx.clock().instant())) {
      engine.ensureVolumes(system, docker, layout);
      String running = ctx.ledger().current(system.name(), host.name()).map(ReleaseRecord::release).orElse("none");
      ctx.listener().progress("backing up the current " + String.join(", ", vols) + " first");
      Backup safety = store.create(system.name(), running, vols);
      String undo = "the data before the restore is in backup " + safety.id() + " (`gantry backup restore " + system.name()
          + " --host " + host.name() + " " + safety.id() + "` puts it back)";
      ctx.listener().progress(undo);
      boolean deployed = host.executor().exists(runtime.swarm() ? layout.stackFile() : layout.composeFile());
      List<String> users = system.services().stream()
          .filter(s -> s.volumes().stream().anyMatch(m -> vols.contains(m.volume()))).map(Service::name).toList();
      if (deployed && !users.isEmpty()) {
        ctx.listener().progress("stopping " + String.join(", ", users) + " (they mount " + String.join(", ", vols) + ")");
        runtime.stopServices(layout, system, users);
      }
      try {
        ctx.listener().progress("restoring " + String.join(", ", vols) + " from " + backupId);
        store.restore(backupId, vols);
      } catch (RuntimeException e) {
        String back = putBack(store, safety, vols, layout, deployed);
        throw new UserError("restoring " + backupId + " failed: " + e.getMessage() + "; " + back, e);
      }
      if (!deployed) {
        return "restored " + String.join(", ", vols) + " from " + backupId + " (the system is not deployed on " + host.name()
            + "); " + undo;
      }
      String failure = start(layout);
      if (failure != null) {
        throw new UserError("restored " + backupId + " but " + system.name() + " did not come back healthy: " + failure
            + "; " + undo);
      }
      return "restored " + String.join(", ", vols) + " from " + backupId + "; " + system.name() + " is healthy again; " + undo;
    }
  }

  /** The named volumes must be the system's and in the backup: refused before anything stops. */
  private void check(Backup b, List<String> vols) {
    List<String> problems = new ArrayList<>();
    for (String vol : vols) {
      if (!system.volumes().contains(vol)) {
        problems.add("system " + system.name() + " declares no volume '" + vol + "' (it declares: "
            + String.join(", ", system.volumes()) + ")");
      } else if (b.archive(vol).isEmpty()) {
        problems.add("backup " + b.id() + " holds no archive of volume '" + vol + "' (it has: "
            + String.join(", ", b.archives().stream().map(Backup.Archive::volume).toList()) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new UserError("refusing to restore (nothing was stopped): " + String.join("; ", problems));
    }
  }

  /** After a failed restore: the data as it was, and the services running again. */
  private String putBack(BackupStore store, Backup safety, List<String> vols, Layout layout, boolean deployed) {
    try {
      store.restore(safety.id(), vols);
      if (!deployed) {
        return "the volumes were put back as they were";
      }
      String failure = start(layout);
      return failure == null ? "the volumes were put back as they were and " + system.name() + " serves again"
          : "the volumes were put back as they were, but " + system.name() + " did not come back healthy: " + failure;
    } catch (RuntimeException again) {
      try {
        if (deployed) {
          runtime.start(layout, system);
        }
      } catch (RuntimeException ignored) {
        // said below
      }
      return "putting the data back failed too (" + again.getMessage() + "); the data before the restore is in backup "
          + safety.id() + (deployed ? "; " + system.name() + " was started again, check it" : "");
    }
  }

  private String start(Layout layout) {
    try {
      runtime.start(layout, system); // the services must run before the names they run under can be read
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    Map<String, String> images = ctx.ledger().current(system.name(), host.name()).map(ReleaseRecord::images).orElse(Map.of());
    return engine.startAndWait(runtime, layout, system, DeployEngine.byRunningName(runtime, layout, images));
  }
}
