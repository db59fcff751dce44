package dev.gantry.deploy.backup;

import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.generate.Labels;
import dev.gantry.deploy.layout.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backups of one system on its host, in {@code <root>/backups/<project>/<id>/}. Archives
 * are made with the host's {@code tar} and hashed with its {@code sha256sum}, so the same
 * code works on this machine and over SSH. A backup is written under a temporary name and
 * renamed when complete, so a crash never leaves a half backup that looks whole.
 *
 * <pre>{@code
 * BackupStore store = new BackupStore(docker, layout, Clock.systemUTC());
 * Backup b = store.create("capital", "abc123f", List.of("events"));
 * store.verify(b.id()).ok();
 * store.restore(b.id(), List.of("events")); // the system must be stopped
 * }</pre>
 */
public final class BackupStore {
  public static final String MANIFEST = "SHA256SUMS";
  public static final String METADATA = "backup.json";
  private static final Duration LONG = Duration.ofHours(2);

  private final Docker docker;
  private final Target exec;
  private final Layout layout;
  private final Clock clock;

  public BackupStore(Docker docker, Layout layout, Clock clock) {
    this.docker = docker;
    this.exec = docker.executor();
    this.layout = layout;
    this.clock = clock;
  }

  /** Archives every given volume (declared names) and writes the manifest. */
  public Backup create(String system, String release, Collection<String> volumes) {
    String id = BackupIds.next(clock.instant());
    String partial = layout.backupsDir() + "/." + id + ".partial";
    exec.mkdirs(partial);
    try {
      List<Backup.Archive> archives = new ArrayList<>();
      StringBuilder sums = new StringBuilder();
      for (String v : volumes) {
        String dockerVolume = layout.volumeName(v);
        String data = docker.findMountpoint(dockerVolume).orElseThrow(() -> new UserError("cannot back up volume '" + v
            + "': docker volume " + dockerVolume + " does not exist on " + exec.name()));
        String file = v + ".tar.gz";
        String path = partial + "/" + file;
        exec.run(LONG, "tar", "-C", data, "--numeric-owner", "-czf", path, ".")
            .requireOk("archiving volume " + dockerVolume);
        String sha = sha256(path);
        long size = size(path);
        archives.add(new Backup.Archive(v, dockerVolume, file, sha, size));
        sums.append(sha).append("  ").append(file).append('\n');
      }
      Backup b = new Backup(id, system, layout.project(), release, clock.instant(), archives);
      exec.writeMakingFolders(partial + "/" + MANIFEST, sums.toString().getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
      exec.writeMakingFolders(partial + "/" + METADATA, Json.pretty().writeValueAsBytes(b), FileAttrs.mode(0644));
      exec.run(Duration.ofSeconds(30), "mv", "-T", partial, dir(id)).requireOk("completing backup " + id);
      return b;
    } catch (IOException e) {
      exec.delete(partial);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      exec.delete(partial);
      throw e;
    }
  }

  /** Every complete backup, newest first. */
  public List<Backup> list() {
    List<Backup> out = new ArrayList<>();
    for (String name : exec.list(layout.backupsDir())) {
      if (BackupIds.valid(name)) {
        read(name).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(Backup::created).thenComparing(Backup::id).reversed());
    return out;
  }

  public Optional<Backup> find(String id) {
    if (!BackupIds.valid(id)) {
      return Optional.empty();
    }
    return read(id);
  }

  /** The backup called {@code id}, or a user error listing what exists. */
  public Backup require(String id) {
    return find(id).orElseThrow(() -> {
      List<String> ids = list().stream().map(Backup::id).limit(10).toList();
      return new UserError("no backup '" + id + "' of " + layout.project() + " on " + exec.name()
          + (ids.isEmpty() ? " (there are none)" : "; newest: " + String.join(", ", ids)));
    });
  }

  /** Re-reads each archive: checksum against the manifest and the metadata, and a full listing of the tar. */
  public Verification verify(String id) {
    Backup b = require(id);
    List<String> problems = new ArrayList<>();
    Map<String, String> manifest = readManifest(id, problems);
    for (Backup.Archive a : b.archives()) {
      String path = dir(id) + "/" + a.file();
      if (!exec.exists(path)) {
        problems.add(a.file() + " is missing");
        continue;
      }
      String actual = sha256(path);
      String listed = manifest.get(a.file());
      if (listed == null) {
        problems.add(a.file() + " is not in " + MANIFEST);
      } else if (!listed.equals(actual)) {
        problems.add(a.file() + ": SHA-256 is " + actual + " but " + MANIFEST + " says " + listed);
      }
      if (!a.sha256().equals(listed)) {
        problems.add(a.file() + ": " + METADATA + " and " + MANIFEST + " disagree");
      }
      if (listed != null && listed.equals(actual)) {
        ProcessResult t = exec.run(LONG, "tar", "-tzf", path);
        if (!t.ok()) {
          problems.add(a.file() + " is not a readable tar.gz: " + t.tail());
        }
      }
    }
    return new Verification(id, problems);
  }

  /**
   * Replaces the content of the given volumes with the backup's archives, after verifying
   * them; a backup that fails verification is refused. The system must be stopped.
   */
  public void restore(String id, Collection<String> volumes) {
    Backup b = require(id);
    Verification v = verify(id);
    if (!v.ok()) {
      throw new UserError("refusing to restore backup " + id + ": it failed verification:\n  - "
          + String.join("\n  - ", v.problems()));
    }
    for (String vol : volumes) {
      if (b.archive(vol).isEmpty()) {
        throw new UserError("backup " + id + " holds no archive of volume '" + vol + "' (it has: "
            + String.join(", ", b.archives().stream().map(Backup.Archive::volume).toList()) + ")");
      }
    }
    for (String vol : volumes) {
      Backup.Archive a = b.archive(vol).orElseThrow();
      String dockerVolume = layout.volumeName(vol);
      docker.ensureVolume(dockerVolume, Map.of(Labels.SYSTEM, b.system(), Labels.VOLUME, vol));
      String mp = docker.mountpoint(dockerVolume);
      exec.run(LONG, "find", mp, "-mindepth", "1", "-delete").requireOk("emptying volume " + dockerVolume);
      exec.run(LONG, "tar", "-C", mp, "--numeric-owner", "-xzf", dir(id) + "/" + a.file())
          .requireOk("restoring volume " + dockerVolume + " from " + id);
    }
  }

  /** Deletes all but the newest {@code keep} backups; returns the ids deleted. */
  public List<String> prune(int keep) {
    if (keep < 1) {
      throw new UserError("backup retention must keep at least 1 backup, not " + keep);
    }
    List<Backup> all = list();
    List<String> deleted = new ArrayList<>();
    for (int i = keep; i < all.size(); i++) {
      exec.delete(dir(all.get(i).id()));
      deleted.add(all.get(i).id());
    }
    return deleted;
  }

  /** The folder of a backup on the host. */
  public String dir(String id) {
    return layout.backupsDir() + "/" + id;
  }

  public Target executor() {
    return exec;
  }

  /** Reads the raw manifest lines into file to hash. */
  private Map<String, String> readManifest(String id, List<String> problems) {
    Map<String, String> m = new LinkedHashMap<>();
    Optional<byte[]> raw = exec.read(dir(id) + "/" + MANIFEST);
    if (raw.isEmpty()) {
      problems.add(MANIFEST + " is missing");
      return m;
    }
    for (String line : new String(raw.get(), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int sp = line.indexOf("  ");
      if (sp != 64) {
        problems.add(MANIFEST + ": malformed line '" + line + "'");
        continue;
      }
      m.put(line.substring(sp + 2), line.substring(0, sp));
    }
    return m;
  }

  private Optional<Backup> read(String id) {
    Optional<byte[]> raw = exec.read(dir(id) + "/" + METADATA);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(raw.get(), Backup.class));
    } catch (IOException e) {
      throw new UserError("backup " + id + ": " + METADATA + " is unreadable: " + e.getMessage());
    }
  }

  /** Parses a backup's metadata file. */
  public static Backup parseMetadata(byte[] json) throws IOException {
    return Json.mapper().readValue(json, Backup.class);
  }

  private String sha256(String path) {
    String out = exec.run(LONG, "sha256sum", "--", path).requireOk("hashing " + path).stdout();
    return out.substring(0, Math.min(64, out.length()));
  }

  private long size(String path) {
    return Long.parseLong(exec.run(Duration.ofSeconds(30), "stat", "-c", "%s", "--", path).requireOk("sizing " + path)
        .stdout().strip());
  }
}
