package dev.gantry.core.process;

import java.time.Duration;
import java.util.List;

/**
 * A process group as a whole, found by its id. {@link Command} starts every process in its
 * own session, so its id is also the group's: whatever it started, re-parented children
 * included, can be ended later even by another JVM, e.g. one that restarts after a crash.
 *
 * <pre>{@code
 * long pgid = running.pid();                              // noted on disk while it runs
 * int ended = ProcessGroup.kill(pgid, Duration.ofSeconds(5)); // after a restart
 * }</pre>
 */
public final class ProcessGroup {
  private ProcessGroup() {}

  /** The live members of group {@code pgid} (Linux; none where there is no /proc). */
  public static List<ProcessHandle> members(long pgid) {
    return ProcessTree.groupMembers(pgid);
  }

  /**
   * Sends TERM to every member of group {@code pgid}, waits up to {@code grace}, then KILL to
   * those left; returns how many members there were.
   */
  public static int kill(long pgid, Duration grace) {
    List<ProcessHandle> members = members(pgid);
    if (members.isEmpty()) {
      return 0;
    }
    members.forEach(ProcessHandle::destroy);
    ProcessTree.awaitExit(members, grace);
    members(pgid).forEach(ProcessHandle::destroyForcibly);
    return members.size();
  }
}
