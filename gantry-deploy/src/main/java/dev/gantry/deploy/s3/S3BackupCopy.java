package dev.gantry.deploy.s3;

import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.Target;
import dev.gantry.deploy.backup.Backup;
import dev.gantry.deploy.backup.BackupStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies a backup (archives, manifest, metadata) to S3-compatible storage under
 * {@code <prefix>/<project>/<id>/}, and fetches one back onto a host.
 *
 * <pre>{@code
 * new S3BackupCopy(s3).upload(backup, store);
 * }</pre>
 */
public final class S3BackupCopy {
  private final S3Client s3;

  public S3BackupCopy(S3Client s3) {
    this.s3 = s3;
  }

  /** The key prefix of a backup. */
  public String prefix(String project, String id) {
    String p = s3.config().prefix();
    return (p.isEmpty() ? "" : p + "/") + project + "/" + id + "/";
  }

  /** Uploads every file of the backup; archives go with the SHA-256 from the manifest. */
  public void upload(Backup b, BackupStore store) throws IOException {
    Target ex = store.executor();
    String dir = store.dir(b.id());
    String prefix = prefix(b.project(), b.id());
    for (Backup.Archive a : b.archives()) {
      Path tmp = Files.createTempFile("gantry-backup", ".tar.gz");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          ex.download(dir + "/" + a.file(), out);
        }
        s3.put(prefix + a.file(), tmp, a.sha256());
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    // the manifest last: its presence in the bucket says the copy is complete
    s3.put(prefix + BackupStore.METADATA, ex.read(dir + "/" + BackupStore.METADATA).orElseThrow());
    s3.put(prefix + BackupStore.MANIFEST, ex.read(dir + "/" + BackupStore.MANIFEST).orElseThrow());
  }

  /** Ids of complete backups of {@code project} in the bucket, newest first. */
  public List<String> list(String project) throws IOException {
    String p = s3.config().prefix();
    String base = (p.isEmpty() ? "" : p + "/") + project + "/";
    return s3.list(base).stream()
        .filter(k -> k.endsWith("/" + BackupStore.MANIFEST))
        .map(k -> k.substring(base.length(), k.length() - BackupStore.MANIFEST.length() - 1))
        .sorted(java.util.Comparator.reverseOrder()).toList();
  }

  /** Downloads a backup into the store's folder on the host (verify it before use). */
  public void download(String project, String id, BackupStore store) throws IOException {
    Target ex = store.executor();
    String dir = store.dir(id);
    java.io.ByteArrayOutputStream meta = new java.io.ByteArrayOutputStream();
    s3.get(prefix(project, id) + BackupStore.METADATA, meta);
    Backup b = BackupStore.parseMetadata(meta.toByteArray());
    List<String> files = new java.util.ArrayList<>(b.archives().stream().map(Backup.Archive::file).toList());
    files.add(BackupStore.MANIFEST);
    for (String f : files) {
      Path tmp = Files.createTempFile("gantry-backup", ".part");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          s3.get(prefix(project, id) + f, out);
        }
        try (var in = Files.newInputStream(tmp)) {
          ex.upload(in, dir + "/" + f);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    ex.writeMakingFolders(dir + "/" + BackupStore.METADATA, meta.toByteArray(), FileAttrs.mode(0644));
  }
}
