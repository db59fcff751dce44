package dev.gantry.deploy.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Backup ids: UTC time to the millisecond plus a random suffix, so names sort by age even for
 * backups taken in the same second (ids of older Gantry versions, to the second, still read).
 */
public final class BackupIds {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}(\\d{3})?Z-[0-9a-f]{4}");

  private BackupIds() {}

  public static String next(Instant now) {
    byte[] r = new byte[2];
    ThreadLocalRandom.current().nextBytes(r);
    return FORMAT.format(now) + "-" + HexFormat.of().formatHex(r);
  }

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
