package dev.gantry.ci.queue;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The patch queue as a pure function: {@code apply(state, event, now)} returns the next state
 * and the effects to carry out. No I/O, no clock of its own.
 *
 * <p>Rules (bake's model): queued patches are tested together as one candidate (master plus
 * the patches in order); a new patch joins the active candidate while it is plausible; a
 * candidate on which every step passed is merged; when a step fails the engine bisects over
 * prefixes of the candidate's patches, running only the failed step and its dependencies,
 * until one patch is shown to break it, rejects that patch and queues the others again. When
 * that patch is a stack of several commits, the same search over its commits (a
 * {@link StackSearch}) first finds the first commit that fails, which its rejection names.
 *
 * <p>The priority lane: an urgent patch (a {@code review/hotfix/...} branch, or submitted as
 * urgent) goes ahead of the queue, displacing a candidate that is not being merged, and is
 * tested alone, even while the queue is paused; it is how a broken master is repaired through
 * the gate, and its merge lifts the pause that master's own failure caused.
 *
 * <p>A run that no agent would take for the whole timeout ({@link Event.RunUnschedulable},
 * decided by {@link UnschedulableWatch}) fails its candidate: its patches are rejected with
 * the reason, and the admins are told.
 *
 * <p>Speculative candidates (Zuul's window): while the active candidate (the head) is an
 * ordinary one and agents have free slots, queued patches are tested in parallel as
 * <em>followers</em>, each built on the commit of the candidate ahead of it (master+p1,
 * master+p1+p2, ...). At most {@code window} candidates run at once: no more than the online
 * agents' slots ({@link Event.AgentSlots}), and adapted to how often candidates fail (one more
 * after a merge, half after a failure, from half the slots up to {@code maxWindow}); a follower
 * holds one patch. A new patch starts a follower rather than restarting the head; a failure
 * discards only the candidates behind it, which contain the failing patch. A follower that passes waits and merges as soon as it is at
 * the head; one that fails waits too and, once everything ahead merged, is bisected over its own
 * patches on that verified base. With one slot the window is one: a single candidate, as above.
 *
 * <p>An admin's event that cannot apply (removing a patch being merged, retrying a patch
 * while a newer push of its branch is open, skipping a step the active candidate does not
 * have) changes nothing, and the transition says why: {@link Transition#refused()}.
 *
 * <pre>{@code
 * var engine = new QueueEngine(8);
 * Transition t = engine.apply(QueueState.empty(), new Event.PatchSubmitted("review", sha, "ann", "fix"), now);
 * t.effects(); // [BuildCandidate(...)]
 * }</pre>
 */
public final class QueueEngine {
  /** How many closed patches the state keeps (older ones live only in the store). */
  public static final int KEEP_CLOSED = 200;

  /** The default upper bound of the window ({@code ci.max-window}). */
  public static final int MAX_WINDOW = 8;

  private final int maxBatch;
  private final int maxWindow;

  /** @param maxBatch the most patches one candidate holds */
  public QueueEngine(int maxBatch) {
    this(maxBatch, MAX_WINDOW);
  }

  /**
   * @param maxBatch the most patches one candidate holds
   * @param maxWindow the most candidates tested at once (the window's upper bound)
   */
  public QueueEngine(int maxBatch, int maxWindow) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1");
    }
    if (maxWindow < 1) {
      throw new IllegalArgumentException("maxWindow must be >= 1");
    }
    this.maxBatch = maxBatch;
    this.maxWindow = maxWindow;
  }

  public Transition apply(QueueState state, Event event, Instant now) {
    Working w = new Working(state, now);
    switch (event) {
      case Event.PatchSubmitted e -> w.submitted(e);
      case Event.CandidateBuilt e -> w.built(e);
      case Event.CandidateConflict e -> w.conflict(e);
      case Event.CandidateBuildFailed e -> w.buildFailed(e);
      case Event.JobAssigned e -> w.assigned(e);
      case Event.PrepareSucceeded e -> w.prepared(e);
      case Event.JobFinished e -> w.finished(e);
      case Event.AgentLost e -> w.agentLost(e.agent());
      case Event.AgentSlots e -> w.agentSlots(e.slots());
      case Event.MergeSucceeded e -> w.merged(e);
      case Event.MergeRejected e -> w.mergeRejected(e);
      case Event.Paused e -> w.pause(e.reason());
      case Event.Resumed e -> w.resume();
      case Event.Removed e -> w.remove(e.patch());
      case Event.Retried e -> w.retry(e.patch());
      case Event.StepSkipped e -> w.skip(e);
      case Event.RunUnschedulable e -> w.unschedulable(e);
    }
    return w.finish();
  }

  /**
   * The effects to issue again after a restart for work that was in flight when the
   * server stopped: building the active candidate or its followers, merging the active one.
   * Both are idempotent.
   */
  public List<Effect> resume(QueueState s) {
    List<Effect> out = new ArrayList<>();
    for (Candidate c : s.candidates()) {
      switch (c.status()) {
        case BUILDING -> out.add(buildEffect(s.patches(), c));
        case MERGING -> out.add(mergeEffect(s.patches(), c, s.jobs()));
        default -> {}
      }
    }
    return out;
  }

  /** The window the queue uses now: its adapted size within {@code maxWindow}, and no more than the agents' slots. */
  public int window(QueueState s) {
    return Math.min(adapted(s.window()), Math.max(1, s.slots()));
  }

  private int adapted(int window) {
    return window <= 0 ? maxWindow : Math.min(window, maxWindow);
  }

  private static List<Effect.PatchRef> refs(Map<Long, Patch> patches, List<Long> ids) {
    return ids.stream().map(patches::get).map(p -> new Effect.PatchRef(p.id(), p.branch(), p.commit())).toList();
  }

  /** Builds {@code c}: its patches at their tips, the last one at {@code stackCommit} for a probe of a stack. */
  private static Effect.BuildCandidate buildEffect(Map<Long, Patch> patches, Candidate c) {
    List<Effect.PatchRef> refs = new ArrayList<>(refs(patches, c.patches()));
    if (c.stackCommit() != null) {
      Effect.PatchRef last = refs.remove(refs.size() - 1);
      refs.add(new Effect.PatchRef(last.id(), last.branch(), c.stackCommit()));
    }
    return new Effect.BuildCandidate(c.id(), c.base(), refs);
  }

  private static Effect.Merge mergeEffect(Map<Long, Patch> patches, Candidate c, Map<Long, Job> jobs) {
    List<Long> runs = jobs.values().stream().filter(j -> j.candidate() == c.id() && j.status() == JobStatus.PASSED).map(Job::id).toList();
    return new Effect.Merge(c.id(), c.base(), c.commit(), refs(patches, c.patches()), runs);
  }

  /** A mutable copy of the state for the length of one transition. */
  private final class Working {
    private final Instant now;
    private long nextPatch;
    private long nextCandidate;
    private long nextJob;
    private boolean paused;
    private String pauseReason;
    private boolean masterBroken;
    private String master;
    private String verifiedMaster;
    private final TreeMap<Long, Patch> patches;
    private Candidate active;
    private final TreeMap<Long, Job> jobs;
    private Bisection bisection;
    private StackSearch stackSearch;
    private final List<Candidate> followers;
    private int window;
    private int slots;
    private long stepRuns;
    private final List<Effect> effects = new ArrayList<>();
    private final List<Job> retired = new ArrayList<>();
    private Refusal refused;

    Working(QueueState s, Instant now) {
      this.now = now;
      nextPatch = s.nextPatch();
      nextCandidate = s.nextCandidate();
      nextJob = s.nextJob();
      paused = s.paused();
      pauseReason = s.pauseReason();
      masterBroken = s.masterBroken();
      master = s.master();
      verifiedMaster = s.verifiedMaster();
      patches = new TreeMap<>(s.patches());
      active = s.active();
      jobs = new TreeMap<>(s.jobs());
      bisection = s.bisection();
      stepRuns = s.stepRuns();
      stackSearch = s.stackSearch();
      followers = new ArrayList<>(s.followers());
      window = s.window();
      slots = s.slots();
    }

    Transition finish() {
      prune();
      return new Transition(new QueueState(nextPatch, nextCandidate, nextJob, paused, pauseReason, masterBroken, master, verifiedMaster, patches,
          active, jobs, bisection, stepRuns, stackSearch, followers, window, slots), effects, retired, Optional.ofNullable(refused));
    }

    /** Drops the runs of the candidate that ended (all but the followers'), keeping their final status for the caller. */
    private void retireJobs() {
      Set<Long> keep = followerIds();
      for (Job j : List.copyOf(jobs.values())) {
        if (!keep.contains(j.candidate())) {
          retired.add(j);
          jobs.remove(j.id());
        }
      }
    }

    private void retireJobsOf(long candidate) {
      for (Job j : List.copyOf(jobs.values())) {
        if (j.candidate() == candidate) {
          retired.add(j);
          jobs.remove(j.id());
        }
      }
    }

    private Set<Long> followerIds() {
      Set<Long> ids = new HashSet<>();
      followers.forEach(f -> ids.add(f.id()));
      return ids;
    }

    // ---- patches -------------------------------------------------------------------------

    void submitted(Event.PatchSubmitted e) {
      for (Patch p : patches.values()) {
        boolean sameCommit = p.commit().equals(e.commit());
        if (sameCommit && e.urgent() && !p.urgent() && !p.state().terminal() && p.branch().equals(e.branch()) && !merging(p.id())) {
          promote(p);
          return;
        }
        if (sameCommit && (p.state() == PatchState.MERGED || !p.state().terminal() && p.branch().equals(e.branch()))) {
          return; // a repeated hook call or a push of what is already merged
        }
      }
      boolean disturbed = false;
      int disturbedFollower = followers.size();
      for (Patch p : List.copyOf(patches.values())) {
        if (!p.state().terminal() && p.branch().equals(e.branch()) && !merging(p.id())) {
          disturbed |= involved(p.id());
          disturbedFollower = Math.min(disturbedFollower, followerOf(p.id()));
          patches.put(p.id(), p.with(PatchState.SUPERSEDED, "superseded by a newer push of " + e.branch(), now));
        }
      }
      long id = nextPatch++;
      boolean urgent = e.urgent() || Patch.isHotfixBranch(e.branch());
      patches.put(id, new Patch(id, e.branch(), e.commit(), e.author(), e.subject(), now, PatchState.QUEUED, "", List.of(), List.of(), null, urgent, e.stack()));
      boolean mergingNow = active != null && active.status() == CandidateStatus.MERGING;
      if (disturbed) {
        abandon();
      } else {
        discardFrom(disturbedFollower); // a follower with an older push of the branch, and those behind it
        if (urgent && !mergingNow && !activeUrgent()) {
          abandon(); // the priority lane goes first; the displaced patches wait at the head of the queue
        } else if (active != null && !active.probe() && !mergingNow && !activeUrgent()
            && bisection == null && active.patches().size() < maxBatch && followers.isEmpty() && room() == 0) {
          abandon(); // extend the plausible candidate with the new patch (with room in the window, it starts a follower instead)
        }
      }
      advance();
    }

    /** A queued or tested patch submitted again as urgent moves to the priority lane. */
    private void promote(Patch p) {
      patches.put(p.id(), p.urgent(true));
      if (!activeUrgent() && (active == null || active.status() != CandidateStatus.MERGING)) {
        abandon();
      }
      advance();
    }

    private boolean activeUrgent() {
      return active != null && !active.probe() && active.patches().size() == 1 && patches.get(active.patches().get(0)).urgent();
    }

    private boolean merging(long patch) {
      return active != null && active.status() == CandidateStatus.MERGING && active.patches().contains(patch);
    }

    /** The index of the follower holding {@code patch}, or the number of followers when none does. */
    private int followerOf(long patch) {
      for (int i = 0; i < followers.size(); i++) {
        if (followers.get(i).patches().contains(patch)) {
          return i;
        }
      }
      return followers.size();
    }

    private boolean involved(long patch) {
      return active != null && active.patches().contains(patch) || bisection != null && bisection.patches().contains(patch)
          || stackSearch != null && stackSearch.requeue().contains(patch);
    }

    void remove(long id) {
      Patch p = patches.get(id);
      if (p == null) {
        refused = new Refusal.NoSuchPatch(id);
        return;
      }
      if (p.state().terminal()) {
        refused = new Refusal.AlreadyClosed(id, p.state());
        return;
      }
      if (merging(id)) {
        refused = new Refusal.BeingMerged(id);
        return;
      }
      boolean disturbed = involved(id);
      int follower = followerOf(id);
      patches.put(id, p.with(PatchState.REMOVED, "removed by an admin", now));
      if (disturbed) {
        abandon();
      } else {
        discardFrom(follower);
      }
      advance();
    }

    void retry(long id) {
      Patch p = patches.get(id);
      if (p == null) {
        refused = new Refusal.NoSuchPatch(id);
        return;
      }
      if (p.state() != PatchState.REJECTED && p.state() != PatchState.REMOVED) {
        refused = new Refusal.NotRetriable(id, p.state());
        return;
      }
      boolean newer = patches.values().stream().anyMatch(o -> o.id() != id && !o.state().terminal() && o.branch().equals(p.branch()));
      if (newer) {
        refused = new Refusal.NewerPushQueued(id, p.branch());
        return;
      }
      patches.put(id, p.with(PatchState.QUEUED, "", now));
      advance();
    }

    void pause(String reason) {
      paused = true;
      masterBroken = false;
      pauseReason = reason == null || reason.isBlank() ? "paused by an admin" : reason;
    }

    void resume() {
      paused = false;
      masterBroken = false;
      pauseReason = "";
      advance();
    }

    // ---- candidates ----------------------------------------------------------------------

    /** Drops the active candidate, its followers and any bisection; their patches wait in the queue again. */
    private void abandon() {
      discardFrom(0);
      if (active != null) {
        cancelRunning();
        requeue(active.patches());
        active = null;
        retireJobs();
      }
      if (bisection != null) {
        requeue(bisection.patches());
        bisection = null;
      }
      if (stackSearch != null) {
        requeue(stackSearch.requeue());
        stackSearch = null;
      }
    }

    private void requeue(List<Long> ids) {
      for (long id : ids) {
        Patch p = patches.get(id);
        if (p != null && !p.state().terminal()) {
          patches.put(id, p.with(PatchState.QUEUED, "", now));
        }
      }
    }

    /**
     * Drops the followers from index {@code from} on (they contain a patch that failed or went
     * away): their runs are cancelled and their patches wait in the queue again.
     */
    private void discardFrom(int from) {
      while (followers.size() > from) {
        Candidate f = followers.remove(followers.size() - 1);
        cancelRunning(f.id());
        requeue(f.patches());
        retireJobsOf(f.id());
      }
    }

    /** Cancels the active candidate's runs that have not ended. */
    private void cancelRunning() {
      Set<Long> keep = followerIds();
      cancelRunning(j -> !keep.contains(j.candidate()));
    }

    private void cancelRunning(long candidate) {
      cancelRunning(j -> j.candidate() == candidate);
    }

    private void cancelRunning(java.util.function.Predicate<Job> which) {
      for (Job j : List.copyOf(jobs.values())) {
        if (!which.test(j)) {
          continue;
        }
        if (j.status() == JobStatus.RUNNING) {
          effects.add(new Effect.CancelJob(j.id(), j.agent()));
          jobs.put(j.id(), j.finish(JobStatus.CANCELLED, "cancelled", now));
        } else if (j.status() == JobStatus.PENDING) {
          jobs.put(j.id(), j.finish(JobStatus.CANCELLED, "not needed any more", now));
        }
      }
    }

    private void advance() {
      if (active != null) {
        speculate();
        return;
      }
      Optional<Patch> hotfix = patches.values().stream().filter(p -> p.state() == PatchState.QUEUED && p.urgent()).findFirst();
      if (hotfix.isPresent() && bisection == null && stackSearch == null) {
        start(List.of(hotfix.get().id()), null, null);
        return;
      }
      if (paused) {
        return;
      }
      if (stackSearch != null) {
        nextStackProbe();
        return;
      }
      if (bisection != null) {
        nextProbe();
        return;
      }
      List<Long> queued = queuedPatches();
      if (queued.size() > 1 && effectiveWindow() > 1) {
        start(queued.subList(0, 1), null, null); // the window is used: the others follow, from the first patch on
        speculate();
      } else if (!queued.isEmpty()) {
        start(queued.subList(0, Math.min(maxBatch, queued.size())), null, null);
      }
    }

    private List<Long> queuedPatches() {
      return patches.values().stream().filter(p -> p.state() == PatchState.QUEUED && !p.urgent()).map(Patch::id).toList();
    }

    // ---- speculation ---------------------------------------------------------------------

    private int effectiveWindow() {
      return Math.min(adapted(window), Math.max(1, slots));
    }

    /** How many more followers the window has room for now (0 when the queue must not speculate). */
    private int room() {
      boolean hotfixWaiting = patches.values().stream().anyMatch(p -> p.state() == PatchState.QUEUED && p.urgent());
      boolean failedAhead = !followers.isEmpty() && followers.get(followers.size() - 1).status() == CandidateStatus.FAILED;
      if (active == null || active.probe() || activeUrgent() || bisection != null || stackSearch != null || paused || hotfixWaiting || failedAhead) {
        return 0;
      }
      return Math.max(0, effectiveWindow() - 1 - followers.size());
    }

    /**
     * Fills the window with followers of one patch each. Not batches: a batch that fails is
     * bisected one probe at a time while the window stands still, which costs more than the
     * agents a batch saves (see bench/results/ci-queue-sim.md); with a window of one the
     * candidate is a batch, as always.
     */
    private void speculate() {
      int room = room();
      List<Long> queued = queuedPatches();
      for (int next = 0; next < Math.min(room, queued.size()); next++) {
        startFollower(queued.subList(next, next + 1));
      }
    }

    private void startFollower(List<Long> ids) {
      Candidate ahead = followers.isEmpty() ? active : followers.get(followers.size() - 1);
      long id = nextCandidate++;
      Candidate f = new Candidate(id, ids, false, null, null, null, CandidateStatus.WAITING, null, now);
      for (long p : ids) {
        patches.put(p, patches.get(p).with(PatchState.TESTING, "", now).inCandidate(id));
      }
      followers.add(f);
      buildWhenReady(followers.size() - 1, ahead);
    }

    /** Builds follower {@code i} on the commit of {@code ahead} once that one is built. */
    private void buildWhenReady(int i, Candidate ahead) {
      if (i >= followers.size() || followers.get(i).status() != CandidateStatus.WAITING || ahead.commit() == null) {
        return;
      }
      Candidate f = followers.get(i).waitingFor(ahead.commit());
      followers.set(i, f);
      effects.add(buildEffect(patches, f));
    }

    private int followerIndex(long candidate) {
      for (int i = 0; i < followers.size(); i++) {
        if (followers.get(i).id() == candidate) {
          return i;
        }
      }
      return -1;
    }

    private void grow() {
      window = Math.min(maxWindow, adapted(window) + 1);
    }

    /** Halves the window, down to half the online slots (as Zuul's window floor): below that, agents idle and the queue waits. */
    private void shrink() {
      window = Math.max(Math.max(1, slots / 2), effectiveWindow() / 2);
    }

    void agentSlots(int online) {
      slots = Math.max(0, online);
      advance();
    }

    private void start(List<Long> ids, String probeStep, String base) {
      start(ids, probeStep, base, null);
    }

    private void start(List<Long> ids, String probeStep, String base, String stackCommit) {
      long id = nextCandidate++;
      retireJobs();
      active = new Candidate(id, ids, probeStep != null, probeStep, base, null, CandidateStatus.BUILDING, null, now, stackCommit);
      for (long p : ids) {
        patches.put(p, patches.get(p).with(PatchState.TESTING, "", now).inCandidate(id));
      }
      effects.add(buildEffect(patches, active));
    }

    private boolean isActive(long candidate, CandidateStatus status) {
      return active != null && active.id() == candidate && active.status() == status;
    }

    void built(Event.CandidateBuilt e) {
      int i = followerIndex(e.candidate());
      if (i >= 0 && followers.get(i).status() == CandidateStatus.BUILDING) {
        Candidate f = followers.get(i).built(e.base(), e.commit());
        followers.set(i, f);
        addPrepare(f);
        buildWhenReady(i + 1, f);
        return;
      }
      if (!isActive(e.candidate(), CandidateStatus.BUILDING)) {
        return;
      }
      active = active.built(e.base(), e.commit());
      if (!active.probe()) {
        master = e.base();
      }
      addPrepare(active);
      buildWhenReady(0, active);
    }

    private void addPrepare(Candidate c) {
      long job = nextJob++;
      jobs.put(job, new Job(job, c.id(), Job.PREPARE, 1, JobStatus.PENDING, null, now, null, null, ""));
    }

    void conflict(Event.CandidateConflict e) {
      String why = "does not merge with master: conflicting paths " + String.join(", ", e.paths());
      int i = followerIndex(e.candidate());
      if (i >= 0 && followers.get(i).status() == CandidateStatus.BUILDING) {
        // as in a batch: a patch that does not merge with the patches ahead of it is rejected
        reject(e.patch(), why + " (with the patches ahead of it in the queue)", null, 0);
        discardFrom(i);
        advance();
        return;
      }
      if (!isActive(e.candidate(), CandidateStatus.BUILDING)) {
        return;
      }
      if (active.stackCommit() != null) {
        probeResult(false, 0, why); // an earlier commit of the stack that does not merge fails as well as any
        return;
      }
      reject(e.patch(), why, null, 0);
      abandon();
      advance();
    }

    void buildFailed(Event.CandidateBuildFailed e) {
      int i = followerIndex(e.candidate());
      if (i >= 0 && followers.get(i).status() == CandidateStatus.BUILDING) {
        if (e.patch() > 0 && patches.containsKey(e.patch())) {
          reject(e.patch(), e.message(), null, 0);
        } else {
          pause("the candidate could not be built: " + e.message());
        }
        discardFrom(i);
        advance();
        return;
      }
      if (!isActive(e.candidate(), CandidateStatus.BUILDING)) {
        return;
      }
      if (active.stackCommit() != null && e.patch() > 0) {
        probeResult(false, 0, e.message());
        return;
      }
      if (e.patch() > 0 && patches.containsKey(e.patch())) {
        reject(e.patch(), e.message(), null, 0);
      } else {
        pause("the candidate could not be built: " + e.message());
      }
      abandon();
      advance();
    }

    private void reject(long id, String why, String step, long run) {
      Patch p = patches.get(id);
      if (p == null || p.state().terminal()) {
        return;
      }
      Patch rejected = p.with(PatchState.REJECTED, why, now);
      patches.put(id, rejected);
      effects.add(new Effect.Notify(Effect.Outcome.REJECTED, rejected, step, run, why));
    }

    // ---- runs ----------------------------------------------------------------------------

    void assigned(Event.JobAssigned e) {
      Job j = jobs.get(e.job());
      if (j == null || j.status() != JobStatus.PENDING) {
        return;
      }
      jobs.put(j.id(), j.assigned(e.agent(), now));
      if (!j.prepare()) {
        stepRuns++;
      }
    }

    void prepared(Event.PrepareSucceeded e) {
      Job j = jobs.get(e.job());
      if (j == null || j.status() != JobStatus.RUNNING || !j.prepare()) {
        return;
      }
      int i = followerIndex(j.candidate());
      if (i >= 0 && followers.get(i).status() == CandidateStatus.PREPARING) {
        jobs.put(j.id(), j.finish(JobStatus.PASSED, "steps: " + String.join(", ", e.graph().names()), now));
        Candidate f = followers.get(i).running(e.graph());
        followers.set(i, f);
        addSteps(f);
        return;
      }
      if (active == null || active.id() != j.candidate() || active.status() != CandidateStatus.PREPARING) {
        return;
      }
      jobs.put(j.id(), j.finish(JobStatus.PASSED, "steps: " + String.join(", ", e.graph().names()), now));
      StepGraph graph = e.graph();
      if (active.probe()) {
        if (Job.PREPARE.equals(active.probeStep())) {
          probeResult(true, j.id(), "");
          return;
        }
        if (graph.step(active.probeStep()).isEmpty()) {
          probeResult(true, j.id(), "this candidate has no step '" + active.probeStep() + "'");
          return;
        }
        graph = graph.restrictTo(graph.closure(active.probeStep()));
      }
      active = active.running(graph);
      addSteps(active);
    }

    private void addSteps(Candidate c) {
      for (StepSpec s : c.graph().steps()) {
        long id = nextJob++;
        jobs.put(id, new Job(id, c.id(), s.name(), 1, JobStatus.PENDING, null, now, null, null, ""));
      }
    }

    void finished(Event.JobFinished e) {
      Job j = jobs.get(e.job());
      if (j == null || j.status() != JobStatus.RUNNING) {
        return;
      }
      if (e.passed()) {
        if (j.prepare()) {
          return; // a prepare run passes only with its graph (PrepareSucceeded)
        }
        String note = j.attempt() > 1 ? "passed on attempt " + j.attempt() + " (flaky)" : e.message();
        jobs.put(j.id(), j.finish(JobStatus.PASSED, note, now));
        int i = followerIndex(j.candidate());
        if (i >= 0) {
          followerComplete(i);
        } else {
          checkComplete();
        }
        return;
      }
      Job failed = j.finish(JobStatus.FAILED, e.message(), now);
      jobs.put(j.id(), failed);
      int i = followerIndex(j.candidate());
      Candidate c = i >= 0 ? followers.get(i) : active;
      if (!j.prepare()) {
        int retries = c.graph().step(j.step()).map(StepSpec::retries).orElse(0);
        if (j.attempt() <= retries) {
          long id = nextJob++;
          jobs.put(id, new Job(id, j.candidate(), j.step(), j.attempt() + 1, JobStatus.PENDING, null, now, null, null, ""));
          return;
        }
      }
      if (i >= 0) {
        followerFailed(i);
      } else {
        stepFailed(failed);
      }
    }

    /** A follower on which every step passed waits for the candidates ahead of it to merge. */
    private void followerComplete(int i) {
      Candidate f = followers.get(i);
      if (f.status() == CandidateStatus.RUNNING && allPassed(f)) {
        followers.set(i, f.ended(CandidateStatus.PASSED));
      }
    }

    /**
     * A follower failed: the followers behind it contain its patches and go; it waits, to be
     * bisected over its own patches once everything ahead merged (or dropped if the head fails).
     */
    private void followerFailed(int i) {
      Candidate f = followers.get(i);
      cancelRunning(f.id());
      followers.set(i, f.ended(CandidateStatus.FAILED));
      discardFrom(i + 1);
      shrink();
    }

    private boolean allPassed(Candidate c) {
      for (String step : c.graph().names()) {
        Optional<Job> latest = latestRun(c.id(), step);
        if (latest.isEmpty() || !latest.get().status().ok()) {
          return false;
        }
      }
      return true;
    }

    private void checkComplete() {
      if (active == null || active.status() != CandidateStatus.RUNNING || !allPassed(active)) {
        return;
      }
      if (active.probe()) {
        long run = latestRun(active.probeStep()).map(Job::id).orElse(0L);
        probeResult(true, run, "");
        return;
      }
      active = active.merging();
      for (long p : active.patches()) {
        patches.put(p, patches.get(p).with(PatchState.PLAUSIBLE, "", now));
      }
      effects.add(mergeEffect(patches, active, jobs));
    }

    private Optional<Job> latestRun(String step) {
      return latestRun(active.id(), step);
    }

    private Optional<Job> latestRun(long candidate, String step) {
      return jobs.values().stream().filter(x -> x.candidate() == candidate && x.step().equals(step)).reduce((a, b) -> b);
    }

    private void stepFailed(Job failed) {
      cancelRunning();
      discardFrom(0); // every follower contains the failing patches
      Candidate c = active;
      if (c.probe()) {
        probeResult(false, failed.id(), failed.message());
        return;
      }
      if (activeUrgent()) {
        // tested alone on master: there is nothing to bisect, and a master that fails on its
        // own would only pause the queue the hotfix is meant to repair
        reject(c.patches().get(0), "fails step '" + failed.step() + "' (a hotfix is tested alone on master)", failed.step(), failed.id());
        active = null;
        retireJobs();
        advance();
        return;
      }
      shrink();
      bisect(c, failed);
    }

    /** Searches {@code c}'s patches, merged on its base, for the one that breaks {@code failed}'s step. */
    private void bisect(Candidate c, Job failed) {
      TrailEntry first = new TrailEntry(c.id(), c.patches(), failed.step(), false, failed.id(), failed.message());
      boolean baseOk = c.base() != null && c.base().equals(verifiedMaster);
      bisection = new Bisection(c.patches(), c.base(), failed.step(), 0, c.patches().size(), baseOk, failed.id(), List.of(first));
      active = null;
      retireJobs();
      nextProbe();
    }

    private void probeResult(boolean passed, long run, String note) {
      Candidate c = active;
      if (stackSearch != null) {
        StackSearch s = stackSearch;
        int length = s.stack().indexOf(c.stackCommit()) + 1;
        String at = "#" + s.culprit() + " at " + shortSha(c.stackCommit()) + ", commit " + length + " of its " + s.stack().size();
        TrailEntry entry = new TrailEntry(c.id(), c.patches(), c.probeStep(), passed, run, note.isEmpty() ? at : at + "; " + note);
        stackSearch = s.record(length, passed, entry);
        active = null;
        retireJobs();
        nextStackProbe();
        return;
      }
      TrailEntry entry = new TrailEntry(c.id(), c.patches(), c.probeStep(), passed, run, note);
      bisection = bisection.record(c.patches().size(), passed, entry);
      active = null;
      retireJobs();
      nextProbe();
    }

    private void nextProbe() {
      Bisection b = bisection;
      if (b.bad() == 0) {
        stateFailure(b);
        return;
      }
      int length = b.nextProbe();
      if (length >= 0) {
        start(b.patches().subList(0, length), b.step(), b.base());
        return;
      }
      long culprit = b.patches().get(b.bad() - 1);
      String why = "breaks step '" + b.step() + "'" + (b.patches().size() > 1 ? " (found by bisection over " + b.patches().size() + " patches)" : "");
      bisection = null;
      Patch p = patches.get(culprit);
      if (p != null && p.stack().size() > 1 && !p.state().terminal()) {
        stackSearch = new StackSearch(culprit, b.patches().subList(0, b.bad() - 1), p.stack(), b.base(), b.step(), 0, p.stack().size(),
            b.failedRun(), b.trail(), b.patches(), why);
        nextStackProbe();
        return;
      }
      blame(culprit, b.trail(), why, b.step(), b.failedRun(), b.patches());
    }

    /** Rejects the culprit a search found, with its trail, and queues the other patches again. */
    private void blame(long culprit, List<TrailEntry> trail, String why, String step, long failedRun, List<Long> others) {
      Patch p = patches.get(culprit);
      if (p != null) {
        patches.put(culprit, p.withTrail(trail));
      }
      reject(culprit, why, step, failedRun);
      requeue(others);
      advance();
    }

    /** Tests the culprit at the next commit of its stack, or, when the first failing one is known, rejects it naming that commit. */
    private void nextStackProbe() {
      StackSearch s = stackSearch;
      int length = s.nextProbe();
      if (length > 0) {
        List<Long> ids = new ArrayList<>(s.ahead());
        ids.add(s.culprit());
        start(ids, s.step(), s.base(), s.stack().get(length - 1));
        return;
      }
      stackSearch = null;
      String first = s.firstFailing();
      String why = s.why() + "; the first of its " + s.stack().size() + " commits that fails it: " + shortSha(first)
          + " (commit " + s.bad() + ")";
      blame(s.culprit(), s.trail(), why, s.step(), s.failedRun(), s.requeue());
    }

    private static String shortSha(String sha) {
      return sha == null ? "?" : sha.substring(0, Math.min(12, sha.length()));
    }

    private void stateFailure(Bisection b) {
      String sha = b.base() == null ? "?" : b.base().substring(0, Math.min(7, b.base().length()));
      effects.add(new Effect.Notify(Effect.Outcome.STATE_FAILURE, null, b.step(), b.trail().get(b.trail().size() - 1).runId(),
          "master (" + sha + ") fails step '" + b.step() + "' without any patch"));
      bisection = null;
      requeue(b.patches());
      pause("master (" + sha + ") fails step '" + b.step() + "' on its own; push a fix to " + Patch.HOTFIX_PREFIX
          + "<name> (tested alone, it lifts this pause when merged), or fix master and resume the queue");
      masterBroken = true;
    }

    void agentLost(String agent) {
      if (active == null) {
        return;
      }
      Set<String> lostSteps = new HashSet<>();
      for (Job j : List.copyOf(jobs.values())) {
        if (j.status() == JobStatus.RUNNING && agent.equals(j.agent())) {
          jobs.put(j.id(), j.finish(JobStatus.LOST, "agent " + agent + " stopped answering", now));
          lostSteps.add(j.step());
          long id = nextJob++;
          jobs.put(id, new Job(id, j.candidate(), j.step(), j.attempt(), JobStatus.PENDING, null, now, null, null, ""));
        }
      }
      List<Candidate> all = new ArrayList<>(followers);
      all.add(0, active);
      for (Candidate c : all) {
        if (c.graph() != null && c.status() == CandidateStatus.RUNNING) {
          redoGroups(c, agent);
        }
      }
    }

    /**
     * Passed steps whose workspace lived on the lost agent must run again when a step of
     * their group still has to run: the group moves to another agent as a whole.
     */
    private void redoGroups(Candidate c, String agent) {
      PinGroups groups = PinGroups.of(c.graph());
      Set<String> redo = new HashSet<>();
      for (String step : c.graph().names()) {
        Optional<Job> latest = latestRun(c.id(), step);
        boolean unfinished = latest.isEmpty() || !latest.get().status().finished();
        if (unfinished) {
          for (String m : groups.members(step)) {
            latestRun(c.id(), m).filter(x -> x.status() == JobStatus.PASSED && agent.equals(x.agent())).ifPresent(x -> redo.add(m));
          }
        }
      }
      for (String step : redo) {
        Job old = latestRun(c.id(), step).orElseThrow();
        long id = nextJob++;
        jobs.put(id, new Job(id, old.candidate(), step, old.attempt(), JobStatus.PENDING, null, now, null, null, ""));
      }
    }

    /**
     * Refused unless the step is in the active candidate's graph; a step of that graph that
     * already finished, or a candidate past its runs (merging), is left as it is.
     */
    void skip(Event.StepSkipped e) {
      if (active == null || active.id() != e.candidate() || active.graph() == null || active.graph().step(e.step()).isEmpty()) {
        refused = new Refusal.NoSuchStep(e.candidate(), e.step());
        return;
      }
      if (active.status() != CandidateStatus.RUNNING) {
        return;
      }
      Optional<Job> latest = latestRun(e.step());
      if (latest.isEmpty() || latest.get().status().finished()) {
        return;
      }
      Job j = latest.get();
      if (j.status() == JobStatus.RUNNING) {
        effects.add(new Effect.CancelJob(j.id(), j.agent()));
      }
      jobs.put(j.id(), j.finish(JobStatus.SKIPPED, "skipped by an admin", now));
      checkComplete();
    }

    /**
     * A run no agent would take fails its candidate: every patch in it (in the bisection, for
     * a probe) is rejected with the reason, since no probe could run either, and the admins
     * are told that an agent is missing.
     */
    void unschedulable(Event.RunUnschedulable e) {
      Job j = jobs.get(e.job());
      if (j == null || j.status() != JobStatus.PENDING || active == null) {
        return;
      }
      String step = j.prepare() ? "prepare" : "step '" + j.step() + "'";
      String why = step + " could not be scheduled: " + e.reason();
      int i = followerIndex(j.candidate());
      if (i >= 0) {
        // the follower's own patches brought the step no agent takes (the head's, if it has the
        // step too, fail on their own): they are rejected; the followers behind wait in the queue again
        jobs.put(j.id(), j.finish(JobStatus.FAILED, why, now));
        for (long p : followers.get(i).patches()) {
          reject(p, why, j.step(), j.id());
        }
        effects.add(new Effect.Notify(Effect.Outcome.UNSCHEDULABLE, null, j.step(), j.id(), why));
        discardFrom(i);
        advance();
        return;
      }
      if (j.candidate() != active.id()) {
        return;
      }
      jobs.put(j.id(), j.finish(JobStatus.FAILED, why, now));
      cancelRunning();
      discardFrom(0);
      List<Long> blamed = bisection != null ? bisection.patches() : stackSearch != null ? stackSearch.requeue() : active.patches();
      for (long p : blamed) {
        reject(p, why, j.step(), j.id());
      }
      effects.add(new Effect.Notify(Effect.Outcome.UNSCHEDULABLE, null, j.step(), j.id(), why));
      bisection = null;
      stackSearch = null;
      active = null;
      retireJobs();
      advance();
    }

    // ---- merging -------------------------------------------------------------------------

    void merged(Event.MergeSucceeded e) {
      if (!isActive(e.candidate(), CandidateStatus.MERGING)) {
        return;
      }
      long run = jobs.values().stream().filter(j -> j.candidate() == active.id() && j.status() == JobStatus.PASSED).mapToLong(Job::id).max().orElse(0);
      for (long id : active.patches()) {
        Patch p = patches.get(id).with(PatchState.MERGED, "", now);
        patches.put(id, p);
        effects.add(new Effect.Notify(Effect.Outcome.MERGED, p, null, run, "merged into master at " + e.master()));
      }
      master = e.master();
      verifiedMaster = e.master();
      if (activeUrgent() && masterBroken) {
        paused = false; // master passes every step again
        masterBroken = false;
        pauseReason = "";
      }
      active = null;
      retireJobs();
      grow();
      promote(e.master());
      advance();
    }

    /**
     * The first follower becomes the active candidate once the one ahead merged: master is now
     * its base. It merges at once if it passed, is bisected over its own patches if it failed,
     * and otherwise goes on. A hotfix waiting goes first instead, as does a master that is not
     * the follower's base.
     */
    private void promote(String newMaster) {
      if (followers.isEmpty()) {
        return;
      }
      boolean hotfixWaiting = patches.values().stream().anyMatch(p -> p.state() == PatchState.QUEUED && p.urgent());
      Candidate f = followers.get(0);
      if (hotfixWaiting || f.base() == null || !f.base().equals(newMaster)) {
        discardFrom(0);
        return;
      }
      followers.remove(0);
      active = f;
      switch (f.status()) {
        case PASSED -> {
          active = f.merging();
          for (long p : active.patches()) {
            patches.put(p, patches.get(p).with(PatchState.PLAUSIBLE, "", now));
          }
          effects.add(mergeEffect(patches, active, jobs));
        }
        case FAILED -> {
          Job failed = jobs.values().stream().filter(j -> j.candidate() == f.id() && j.status() == JobStatus.FAILED).reduce((a, b) -> b).orElseThrow();
          bisect(f, failed);
        }
        default -> {}
      }
    }

    void mergeRejected(Event.MergeRejected e) {
      if (!isActive(e.candidate(), CandidateStatus.MERGING)) {
        return;
      }
      discardFrom(0);
      master = e.master();
      requeue(active.patches());
      active = null;
      retireJobs();
      advance();
    }

    private void prune() {
      List<Long> closed = patches.values().stream().filter(p -> p.state().terminal()).map(Patch::id).toList();
      for (int i = 0; i < closed.size() - KEEP_CLOSED; i++) {
        patches.remove(closed.get(i));
      }
    }
  }
}
