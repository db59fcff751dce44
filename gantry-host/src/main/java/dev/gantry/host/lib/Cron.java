package dev.gantry.host.lib;

import dev.gantry.host.property.Revertable;
import dev.gantry.host.target.FileAttrs;

/**
 * Cron jobs, one file per job in {@code /etc/cron.d}.
 *
 * <pre>{@code
 * Cron.job("backup", "15 3 * * *", "root", "/usr/local/bin/backup")
 * }</pre>
 */
public final class Cron {
  private Cron() {}

  /** Runs {@code command} as {@code user} on {@code schedule} (five cron fields or @daily etc.). */
  public static Revertable job(String name, String schedule, String user, String command) {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("cron job name '" + name + "' may only use letters, digits, '_' and '-'"
          + " (cron ignores files with other characters in /etc/cron.d)");
    }
    String s = schedule.strip();
    if (!s.matches("@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)")
        && s.split("\\s+").length != 5) {
      throw new IllegalArgumentException("cron schedule '" + schedule + "' needs five fields or an @keyword");
    }
    User.requireName(user);
    if (command.contains("\n")) {
      throw new IllegalArgumentException("a cron command is one line");
    }
    String content = "# managed by gantry\nSHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
        + s + " " + user + " " + command + "\n";
    return File.hasContent("/etc/cron.d/" + name, content, FileAttrs.mode(0644).withOwner("root", "root"));
  }
}
