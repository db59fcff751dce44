package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import java.util.List;

/**
 * Everything that can happen to the queue. Events are appended to the server's log before
 * they are applied, so replaying the log rebuilds the queue after a restart.
 */
public sealed interface Event {

  /**
   * A push of {@code branch} (or {@code gantry ci submit}) at {@code commit}; {@code urgent}
   * puts it in the priority lane, as a push of a {@code review/hotfix/...} branch does anyway;
   * {@code stack} lists its commits that master does not have, oldest first, when there are
   * several (empty otherwise).
   */
  record PatchSubmitted(String branch, String commit, String author, String subject, boolean urgent, List<String> stack) implements Event {
    public PatchSubmitted {
      stack = stack == null ? List.of() : List.copyOf(stack);
    }

    public PatchSubmitted(String branch, String commit, String author, String subject, boolean urgent) {
      this(branch, commit, author, subject, urgent, List.of());
    }

    public PatchSubmitted(String branch, String commit, String author, String subject) {
      this(branch, commit, author, subject, false);
    }
  }

  /** The mirror merged the candidate's patches on {@code base} into {@code commit}. */
  record CandidateBuilt(long candidate, String base, String commit) implements Event {}

  /** Patch {@code patch} does not merge; {@code paths} conflict. */
  record CandidateConflict(long candidate, long patch, List<String> paths) implements Event {
    public CandidateConflict {
      paths = List.copyOf(paths);
    }
  }

  /**
   * The candidate could not be built for a reason other than a conflict (a commit that no
   * longer exists, an unreachable repository); {@code patch} is 0 when no patch is to blame.
   */
  record CandidateBuildFailed(long candidate, long patch, String message) implements Event {}

  record JobAssigned(long job, String agent) implements Event {}

  /** The agent compiled the pipeline of the candidate and found these steps. */
  record PrepareSucceeded(long job, StepGraph graph) implements Event {}

  record JobFinished(long job, boolean passed, String message) implements Event {}

  /** The agent stopped heartbeating: its runs are handed out again. */
  record AgentLost(String agent) implements Event {}

  /**
   * The online agents offer {@code slots} run slots in all (the server says so when agents come,
   * go or change): the queue runs at most that many candidates at once (see {@link QueueState#window()}).
   */
  record AgentSlots(int slots) implements Event {}

  record MergeSucceeded(long candidate, String master) implements Event {}

  /** {@code master} moved outside Gantry: the candidate is rebuilt on the new master. */
  record MergeRejected(long candidate, String master, String reason) implements Event {}

  record Paused(String reason) implements Event {}

  record Resumed() implements Event {}

  record Removed(long patch) implements Event {}

  /** Puts a rejected or removed patch back in the queue. */
  record Retried(long patch) implements Event {}

  /**
   * Run {@code job} waited {@code ci.unschedulable-timeout} for an agent that never came
   * ({@code reason} says which and who was online): its candidate fails with that reason.
   */
  record RunUnschedulable(long job, String reason) implements Event {}

  /** An admin lets a step of the active candidate count as passed. */
  record StepSkipped(long candidate, String step) implements Event {}
}
