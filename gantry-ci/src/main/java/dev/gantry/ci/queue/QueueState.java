package dev.gantry.ci.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole queue at one moment; only {@link QueueEngine} makes new ones.
 *
 * @param nextPatch the id of the next patch (candidates and runs have their own sequences)
 * @param masterBroken the queue is paused because master failed a step on its own: a merged
 *     hotfix (the priority lane) lifts that pause
 * @param master the master commit last seen by the mirror (null before the first build)
 * @param verifiedMaster a master commit on which every step passed, if known
 * @param patches live patches and the most recent closed ones, by id
 * @param active the candidate being built, tested or merged
 * @param jobs the runs of the active candidate and of its followers, by id
 * @param bisection the running search for a culprit, if a candidate failed
 * @param stepRuns step runs started since the queue began (retries and probes included)
 * @param stackSearch the search for the first failing commit of a culprit's stack, once
 *     bisection found the culprit
 * @param followers speculative candidates behind {@code active}, in queue order: each is built
 *     on the commit of the one ahead of it, so it contains every patch ahead (empty when none;
 *     absent from snapshots written before there were any)
 * @param window how many candidates (the active one and its followers) may run at once, as
 *     the queue adapted it: one more after a merge, half after a failure (not below half the
 *     slots); 0 until it first
 *     changed (the engine's upper bound then)
 * @param slots the run slots of the online agents, as last reported (0: not known yet, which
 *     counts as one: no speculation)
 */
public record QueueState(
    long nextPatch,
    long nextCandidate,
    long nextJob,
    boolean paused,
    String pauseReason,
    boolean masterBroken,
    String master,
    String verifiedMaster,
    SortedMap<Long, Patch> patches,
    Candidate active,
    SortedMap<Long, Job> jobs,
    Bisection bisection,
    long stepRuns,
    StackSearch stackSearch,
    List<Candidate> followers,
    int window,
    int slots) {

  public QueueState {
    patches = Collections.unmodifiableSortedMap(new TreeMap<>(patches));
    jobs = Collections.unmodifiableSortedMap(new TreeMap<>(jobs));
    pauseReason = pauseReason == null ? "" : pauseReason;
    followers = followers == null ? List.of() : List.copyOf(followers);
  }

  public QueueState(long nextPatch, long nextCandidate, long nextJob, boolean paused, String pauseReason, boolean masterBroken, String master,
      String verifiedMaster, SortedMap<Long, Patch> patches, Candidate active, SortedMap<Long, Job> jobs, Bisection bisection, long stepRuns,
      StackSearch stackSearch) {
    this(nextPatch, nextCandidate, nextJob, paused, pauseReason, masterBroken, master, verifiedMaster, patches, active, jobs, bisection, stepRuns,
        stackSearch, List.of(), 0, 0);
  }

  public QueueState(long nextPatch, long nextCandidate, long nextJob, boolean paused, String pauseReason, boolean masterBroken, String master,
      String verifiedMaster, SortedMap<Long, Patch> patches, Candidate active, SortedMap<Long, Job> jobs, Bisection bisection, long stepRuns) {
    this(nextPatch, nextCandidate, nextJob, paused, pauseReason, masterBroken, master, verifiedMaster, patches, active, jobs, bisection, stepRuns, null);
  }

  public static QueueState empty() {
    return new QueueState(1, 1, 1, false, "", false, null, null, new TreeMap<>(), null, new TreeMap<>(), null, 0, null, List.of(), 0, 0);
  }

  /** The candidates being tested, the active one (the head) first, then its followers in order. */
  public List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    if (active != null) {
      out.add(active);
      out.addAll(followers);
    }
    return out;
  }

  /** The active candidate or one of its followers. */
  public Optional<Candidate> candidate(long id) {
    return candidates().stream().filter(c -> c.id() == id).findFirst();
  }

  /**
   * Every patch whose changes {@code c} tests, in merge order: for a follower, the patches of
   * the candidates ahead of it, then its own.
   */
  public List<Long> contained(Candidate c) {
    List<Long> out = new ArrayList<>();
    for (Candidate x : candidates()) {
      out.addAll(x.patches());
      if (x.id() == c.id()) {
        return out;
      }
    }
    return c.patches();
  }

  /** The runs of candidate {@code candidate}, by id. */
  public SortedMap<Long, Job> jobsOf(long candidate) {
    var m = new TreeMap<Long, Job>();
    jobs.forEach((id, j) -> {
      if (j.candidate() == candidate) {
        m.put(id, j);
      }
    });
    return m;
  }

  public Optional<Candidate> activeCandidate() {
    return Optional.ofNullable(active);
  }

  public Optional<Patch> patch(long id) {
    return Optional.ofNullable(patches.get(id));
  }

  public Optional<Job> job(long id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Whether the active candidate is the priority lane's: one urgent patch, tested alone. */
  public boolean activeIsUrgent() {
    return active != null && !active.probe() && active.patches().size() == 1
        && patch(active.patches().get(0)).map(Patch::urgent).orElse(false);
  }

  /** Patches waiting or being tested, oldest first. */
  public List<Patch> live() {
    return patches.values().stream().filter(p -> !p.state().terminal()).toList();
  }

  public List<Patch> withState(PatchState s) {
    return patches.values().stream().filter(p -> p.state() == s).toList();
  }

  public Map<Long, Job> runningJobs() {
    var m = new TreeMap<Long, Job>();
    jobs.forEach((id, j) -> {
      if (j.status() == JobStatus.RUNNING) {
        m.put(id, j);
      }
    });
    return m;
  }
}
