package dev.gantry.cloud.lab;

import dev.gantry.core.UserError;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Where lab hosts are recorded: {@code <data>/cloud/lab/hosts/<slug>/host.json} beside the
 * host's overlay directories. Writes are atomic (temp file and rename). Two locks keep two
 * Gantry processes from picking the same address: the data directory's, and one for this
 * machine ({@link #MACHINE_LOCK}), since processes with other data directories make lab hosts
 * on the same network and see each other's only once their interfaces exist.
 */
final class LabStore {
  /** The lock every Gantry process making or removing lab hosts on this machine takes first. */
  static final Path MACHINE_LOCK = Path.of("/run/lock/gantry-lab.lock");

  // a file lock is held by the process: threads of one process take turns on this first
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  private final Path base;

  LabStore(Path dataDir) {
    this.base = dataDir.resolve("cloud").resolve("lab");
  }

  Path hostDir(String name) {
    return base.resolve("hosts").resolve(LabAddressing.slug(name));
  }

  Path baseDir() {
    return base;
  }

  Optional<LabHost> find(String name) {
    Path f = hostDir(name).resolve("host.json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    return Optional.of(read(f));
  }

  List<LabHost> all() {
    Path hosts = base.resolve("hosts");
    List<LabHost> out = new ArrayList<>();
    if (!Files.isDirectory(hosts)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(hosts)) {
      dirs.map(d -> d.resolve("host.json")).filter(Files::isRegularFile).sorted().forEach(f -> out.add(read(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  void save(LabHost host) {
    Path f = Path.of(host.dir()).resolve("host.json");
    try {
      Path tmp = f.resolveSibling("host.json.tmp");
      Json.pretty().writeValue(tmp.toFile(), host);
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UserError("cannot record lab host '" + host.name() + "' in " + f + ": " + e.getMessage());
    }
  }

  /** Holds this machine's lab lock and then the data directory's until closed. */
  AutoCloseable lock() {
    IN_PROCESS.lock();
    AutoCloseable machine;
    try {
      machine = lockFile(MACHINE_LOCK);
    } catch (RuntimeException e) {
      IN_PROCESS.unlock();
      throw e;
    }
    try {
      Files.createDirectories(base);
      AutoCloseable own = lockFile(base.resolve(".lock"));
      return () -> {
        try {
          own.close();
        } finally {
          try {
            machine.close();
          } finally {
            IN_PROCESS.unlock();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      try {
        machine.close();
      } catch (Exception ignored) {
        // the lock goes with the process anyway
      } finally {
        IN_PROCESS.unlock();
      }
      throw e instanceof UserError u ? u : new UserError("cannot lock " + base + ": " + e.getMessage());
    }
  }

  private static AutoCloseable lockFile(Path file) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.lock();
      return () -> {
        lock.release();
        ch.close();
      };
    } catch (IOException e) {
      throw new UserError("cannot lock " + file + ": " + e.getMessage());
    }
  }

  private static LabHost read(Path f) {
    try {
      return Json.mapper().readValue(f.toFile(), LabHost.class);
    } catch (IOException e) {
      throw new UserError("the lab record " + f + " is unreadable (" + e.getMessage()
          + "); remove the host with `gantry cloud down` or delete the file");
    }
  }
}
