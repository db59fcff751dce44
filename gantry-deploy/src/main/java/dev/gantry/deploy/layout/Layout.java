package dev.gantry.deploy.layout;

import dev.gantry.core.UserError;
import java.util.regex.Pattern;

/**
 * Where one system lives on a host: its compose project name, the folder holding its
 * generated files, its backups and its lock. The project name is the system name unless
 * a prefix separates several environments sharing one Docker Engine.
 *
 * <pre>{@code
 * Layout l = Layout.of("/var/lib/gantry", "", "capital");
 * l.composeFile();           // /var/lib/gantry/systems/capital/compose.yml
 * l.volumeName("events");    // capital_events
 * }</pre>
 */
public record Layout(String root, String project) {
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public Layout {
    if (root == null || !root.startsWith("/")) {
      throw new UserError("deploy root '" + root + "' must be an absolute path");
    }
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw new UserError("project name '" + project + "' must match " + PROJECT.pattern());
    }
    root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
  }

  public static Layout of(String root, String prefix, String system) {
    return new Layout(root, (prefix == null ? "" : prefix) + system);
  }

  public String dir() {
    return root + "/systems/" + project;
  }

  public String composeFile() {
    return dir() + "/compose.yml";
  }

  public String stackFile() {
    return dir() + "/stack.yml";
  }

  public String nginxConf() {
    return dir() + "/nginx.conf";
  }

  /** Holds the files of the release that ran before the current deploy started. */
  public String previousDir() {
    return dir() + "/previous";
  }

  public String secretsFile(String service) {
    return dir() + "/secrets/" + service + ".env";
  }

  public String unitName() {
    return "gantry-" + project + ".service";
  }

  public String backupsDir() {
    return root + "/backups/" + project;
  }

  public String lockDir() {
    return root + "/locks/" + project + ".lock";
  }

  /** The Docker volume holding a declared data volume. */
  public String volumeName(String volume) {
    return project + "_" + volume;
  }
}
