package dev.gantry.deploy.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A full backup of a system's data volumes on one host: one gzip'd tar archive per volume
 * and a SHA-256 manifest ({@code SHA256SUMS}, checkable with {@code sha256sum -c}).
 *
 * @param id sortable by time, e.g. {@code 20250524T101500Z-3f9a}
 * @param release the release that was running when the backup was taken
 */
public record Backup(String id, String system, String project, String release, Instant created, List<Archive> archives) {

  public Backup {
    archives = List.copyOf(archives);
  }

  /** One volume's archive. */
  public record Archive(String volume, String dockerVolume, String file, String sha256, long bytes) {}

  public Optional<Archive> archive(String volume) {
    return archives.stream().filter(a -> a.volume().equals(volume)).findFirst();
  }

  public long totalBytes() {
    return archives.stream().mapToLong(Archive::bytes).sum();
  }
}
