package dev.gantry.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about processes of this machine, for tests that check a runner ended a whole tree.
 *
 * <pre>{@code
 * ProcessResult r = runner.run(Duration.ofSeconds(1), "sh", "-c", Processes.ORPHAN_THEN_SLEEP);
 * Awaitility.await().until(() -> !Processes.running(Long.parseLong(r.stdout().strip())));
 * }</pre>
 */
public final class Processes {
  /**
   * A shell script that starts a grandchild which re-parents at once (its subshell exits, so
   * it is no longer a descendant of the shell), prints the grandchild's pid and sleeps: only
   * a runner that ends the whole session kills that grandchild on timeout.
   */
  public static final String ORPHAN_THEN_SLEEP = "(sleep 301 >/dev/null 2>&1 & echo $!); sleep 300";

  private Processes() {}

  /** Alive and not a zombie (an init that does not reap would leave zombies behind). */
  public static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }
}
