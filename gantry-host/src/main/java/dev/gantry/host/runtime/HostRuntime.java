package dev.gantry.host.runtime;

import dev.gantry.core.UserError;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.host.ssh.SshConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gantry's runtime on a host: {@code /var/lib/gantry/java/<id>} (the Java image) and
 * {@code /var/lib/gantry/app/<id>} (the jars), each unpacked from its archive only when
 * that id is missing, into a temporary folder renamed into place (an interrupted upload
 * leaves nothing half-installed). Versions unused for a week are removed.
 *
 * <pre>{@code
 * HostRuntime.Installed i = HostRuntime.ensure(ssh, java, app);
 * ssh.exec(ssh.privileged(HostRuntime.command(java, app)), requestJson);
 * }</pre>
 */
public final class HostRuntime {
  public static final String BASE = "/var/lib/gantry";

  private HostRuntime() {}

  /** What had to be uploaded. */
  public record Installed(boolean java, boolean app) {
    public boolean any() {
      return java || app;
    }
  }

  public static Installed ensure(SshConnection ssh, RuntimeArtifact java, RuntimeArtifact app) {
    ProcessResult r = ssh.exec(ssh.privileged("uname -sm; test -f " + dir("java", java) + "/.complete && echo has-java;"
        + " test -f " + dir("app", app) + "/.complete && echo has-app; true"));
    if (!r.ok()) {
      throw new UserError("cannot inspect " + ssh.endpoint() + ": " + r.tail());
    }
    List<String> lines = r.stdout().lines().toList();
    String platform = lines.isEmpty() ? "" : lines.get(0).strip();
    String expected = "Linux " + machine();
    if (!platform.equals(expected)) {
      throw new UserError(ssh.endpoint().host() + " is '" + platform + "' but this Gantry's runtime is for '"
          + expected + "'; spin it from a machine of the same platform");
    }
    boolean needJava = !lines.contains("has-java");
    boolean needApp = !lines.contains("has-app");
    if (needJava) {
      upload(ssh, "java", java);
    }
    if (needApp) {
      upload(ssh, "app", app);
    }
    if (needJava || needApp) {
      ssh.exec(ssh.privileged("find " + BASE + "/java " + BASE + "/app -mindepth 1 -maxdepth 1 -mtime +7 ! -name "
          + java.id() + " ! -name " + app.id() + " -exec rm -rf {} + 2>/dev/null; true"));
    }
    return new Installed(needJava, needApp);
  }

  /** Exit status of {@link #commandIfInstalled} when the runtime is not on the host. */
  public static final int MISSING = 97;

  /**
   * The command that runs the remote side when both parts are installed, and otherwise exits
   * with {@link #MISSING} without reading its input: one round trip when nothing is missing.
   */
  public static String commandIfInstalled(RuntimeArtifact java, RuntimeArtifact app) {
    return "if [ -f " + dir("java", java) + "/.complete ] && [ -f " + dir("app", app) + "/.complete ]; then exec "
        + command(java, app) + "; fi; exit " + MISSING;
  }

  /** The command that runs the remote side (reads a spin request on stdin). */
  public static String command(RuntimeArtifact java, RuntimeArtifact app) {
    String appDir = dir("app", app);
    // a short run: the C1 compiler only, the serial collector, no perf data file; SLF4J told
    // there is no logging here rather than warning that it found none
    List<String> cmd = new ArrayList<>(List.of(dir("java", java) + "/bin/java",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-Dslf4j.internal.verbosity=WARN",
        "-jar", appDir + "/" + AppBundle.LAUNCHER));
    return String.join(" ", cmd);
  }

  static String dir(String kind, RuntimeArtifact a) {
    return BASE + "/" + kind + "/" + a.id();
  }

  private static void upload(SshConnection ssh, String kind, RuntimeArtifact a) {
    String d = dir(kind, a);
    String script = "set -e; mkdir -p " + BASE + "/" + kind + "; rm -rf " + d + ".partial; mkdir " + d + ".partial;"
        + " tar -xzf - -C " + d + ".partial; touch " + d + ".partial/.complete; rm -rf " + d + "; mv " + d
        + ".partial " + d;
    try (InputStream in = Files.newInputStream(a.archive())) {
      StringBuilder err = new StringBuilder();
      int code = ssh.exec(ssh.privileged(script), in, line -> { }, line -> err.append(line).append('\n'),
          Duration.ofMinutes(20));
      if (code != 0) {
        throw new UserError("installing Gantry's " + kind + " runtime on " + ssh.endpoint() + " failed: "
            + err.toString().strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String machine() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
  }
}
