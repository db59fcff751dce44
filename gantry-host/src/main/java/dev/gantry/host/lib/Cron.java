package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.definition.Names;
import dev.gantry.host.property.Revertable;
import dev.gantry.core.target.FileAttrs;

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
    if (!Names.isValid(name) || name.contains(".")) {
      // the name rule, less '.': cron ignores files in /etc/cron.d whose names hold one
      String why = Names.isValid(name) ? "no '.'" : Names.why(name);
      throw new DefinitionError("invalid cron job name '" + name + "' (" + why + "): use letters, digits, '_' or '-',"
          + " starting with a letter or digit (cron ignores files with other characters in /etc/cron.d)");
    }
    String s = schedule.strip();
    if (!s.matches("@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)")
        && s.split("\\s+").length != 5) {
      throw new DefinitionError("cron schedule '" + schedule + "' needs five fields or an @keyword");
    }
    User.requireName(user);
    if (command.contains("\n")) {
      throw new DefinitionError("a cron command is one line");
    }
    String content = "# managed by gantry\nSHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
        + s + " " + user + " " + command + "\n";
    return File.hasContent("/etc/cron.d/" + name, content, FileAttrs.mode(0644).withOwner("root", "root"));
  }
}
