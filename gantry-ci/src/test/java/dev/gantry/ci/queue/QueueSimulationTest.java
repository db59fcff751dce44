package dev.gantry.ci.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random days of the queue in virtual time: patches arrive while candidates run, some break
 * a step, some conflict, agents die. Whatever happens, every good patch is merged exactly once,
 * every bad one is rejected, and nothing is lost: with one agent slot, and with several, when
 * speculative candidates run behind the head.
 */
class QueueSimulationTest {
  static final StepGraph PIPELINE = StepGraph.of(List.of(
      StepSpec.shell("compile", "make"),
      StepSpec.shell("test", "make test", "compile"),
      StepSpec.shell("lint", "make lint", "compile"),
      StepSpec.shell("docs", "make docs")));

  static java.util.stream.LongStream seeds() {
    return java.util.stream.LongStream.rangeClosed(1, 300);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyGoodPatchMergesOnceAndEveryBadOneIsRejected(long seed) {
    day(seed, 0);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void withSpeculativeCandidatesEveryGoodPatchMergesOnceAndEveryBadOneIsRejected(long seed) {
    day(seed, 2 + (int) (seed % 3));
  }

  /** The days above do run followers (a day with few patches, none queued behind another, may not). */
  @Test
  void followersRunOnMostDaysWithSeveralSlots() {
    long days = seeds().limit(50).filter(seed -> day(seed, 2 + (int) (seed % 3))).count();
    assertThat(days).isGreaterThanOrEqualTo(45);
    assertThat(seeds().limit(20).filter(seed -> day(seed, 1)).count()).as("with one slot").isZero();
  }

  /**
   * One random day; {@code slots} agent slots are reported online (0: never, as before there
   * were followers). Returns whether followers ran.
   */
  private static boolean day(long seed, int slots) {
    Random rnd = new Random(seed);
    QueueEngine engine = new QueueEngine(1 + rnd.nextInt(8));
    QueueState s = QueueState.empty();
    if (slots > 0) {
      s = engine.apply(s, new Event.AgentSlots(slots), Instant.parse("2024-01-01T00:00:00Z")).state();
    }
    Instant now = Instant.parse("2024-01-01T00:00:00Z");
    List<Effect> effects = new ArrayList<>();
    Set<String> brokenTest = new HashSet<>();
    Set<String> brokenLint = new HashSet<>();
    Set<String> conflicting = new HashSet<>();
    List<String> agents = List.of("a1", "a2", "a3");
    Map<String, String> commitOf = new HashMap<>();
    int patches = 10 + rnd.nextInt(30);
    int submitted = 0;
    String master = "m0";
    boolean speculated = false;
    // verified master from the start: a first good patch
    for (int step = 0; step < 20_000; step++) {
      now = now.plus(Duration.ofSeconds(1));
      Event e = null;
      int dice = rnd.nextInt(100);
      if (submitted < patches && dice < 15) {
        String c = "c" + submitted;
        int kind = rnd.nextInt(10);
        if (kind == 0) {
          brokenTest.add(c);
        } else if (kind == 1) {
          brokenLint.add(c);
        } else if (kind == 2) {
          conflicting.add(c);
        }
        commitOf.put("review/p" + submitted, c);
        e = new Event.PatchSubmitted("review/p" + submitted, c, "dev", "patch " + submitted);
        submitted++;
      } else if (dice < 17) {
        e = new Event.AgentLost(agents.get(rnd.nextInt(agents.size())));
      } else {
        e = progress(s, rnd, agents, brokenTest, brokenLint, conflicting, master);
      }
      if (e == null) {
        assertThat(s.active()).as("a candidate with nothing to run and nothing running: stuck").isNull();
        if (submitted == patches) {
          break; // quiet: nothing left to do
        }
        continue;
      }
      Transition t = engine.apply(s, e, now);
      checkInvariants(t.state());
      s = t.state();
      speculated |= !s.followers().isEmpty();
      effects.addAll(t.effects());
      if (e instanceof Event.MergeSucceeded m) {
        master = m.master();
      }
    }
    assertThat(s.live()).as("undecided patches").isEmpty();
    assertThat(s.active()).isNull();
    Map<Long, Integer> mergedNotices = new HashMap<>();
    for (Effect e : effects) {
      if (e instanceof Effect.Notify n && n.outcome() == Effect.Outcome.MERGED) {
        mergedNotices.merge(n.patch().id(), 1, Integer::sum);
      }
    }
    assertThat(effects).noneMatch(e -> e instanceof Effect.Notify n && n.outcome() == Effect.Outcome.STATE_FAILURE);
    for (Patch p : s.patches().values()) {
      boolean bad = brokenTest.contains(p.commit()) || brokenLint.contains(p.commit()) || conflicting.contains(p.commit());
      assertThat(p.state()).as(p.label() + (bad ? " (bad)" : " (good)")).isEqualTo(bad ? PatchState.REJECTED : PatchState.MERGED);
      if (!bad) {
        assertThat(mergedNotices.get(p.id())).as("merge notices of " + p.label()).isEqualTo(1);
      }
    }
    return speculated;
  }

  /** What the outside world does next: build, prepare, run a step, merge (the head first, then each follower). */
  private static Event progress(QueueState s, Random rnd, List<String> agents, Set<String> brokenTest, Set<String> brokenLint,
      Set<String> conflicting, String master) {
    if (s.active() == null) {
      return null;
    }
    for (Candidate c : s.candidates()) {
      if (c.status() == CandidateStatus.BUILDING || c.status() == CandidateStatus.MERGING) {
        return progress(s, c, rnd, agents, brokenTest, brokenLint, conflicting, master);
      }
    }
    return progress(s, s.active(), rnd, agents, brokenTest, brokenLint, conflicting, master);
  }

  private static Event progress(QueueState s, Candidate c, Random rnd, List<String> agents, Set<String> brokenTest, Set<String> brokenLint,
      Set<String> conflicting, String master) {
    List<String> commits = c.patches().stream().map(id -> s.patches().get(id).commit()).toList();
    switch (c.status()) {
      case BUILDING -> {
        for (int i = 0; i < commits.size(); i++) {
          if (conflicting.contains(commits.get(i)) && i > 0) {
            return new Event.CandidateConflict(c.id(), c.patches().get(i), List.of("src/x"));
          }
          if (conflicting.contains(commits.get(i)) && i == 0) {
            return new Event.CandidateConflict(c.id(), c.patches().get(0), List.of("src/x"));
          }
        }
        String base = c.base() != null ? c.base() : master;
        return new Event.CandidateBuilt(c.id(), base, base + "+" + String.join("+", commits));
      }
      case MERGING -> {
        return new Event.MergeSucceeded(c.id(), c.commit());
      }
      default -> {
        // finish a running job, or hand one out
        List<Job> running = new ArrayList<>(s.runningJobs().values());
        if (!running.isEmpty() && rnd.nextBoolean()) {
          Job j = running.get(rnd.nextInt(running.size()));
          return finishAny(j, tested(s, j), brokenTest, brokenLint);
        }
        int first = rnd.nextInt(agents.size());
        for (int k = 0; k < agents.size(); k++) {
          String agent = agents.get((first + k) % agents.size());
          var job = Scheduler.pick(s, agent, Set.of());
          if (job.isPresent()) {
            return new Event.JobAssigned(job.get().id(), agent);
          }
        }
        return running.isEmpty() ? null : finishAny(running.get(0), tested(s, running.get(0)), brokenTest, brokenLint);
      }
    }
  }

  /** The commits of every patch that run {@code j}'s candidate tests (for a follower, those ahead of it too). */
  private static List<String> tested(QueueState s, Job j) {
    return s.contained(s.candidate(j.candidate()).orElseThrow()).stream().map(id -> s.patches().get(id).commit()).toList();
  }

  private static Event finishAny(Job j, List<String> commits, Set<String> brokenTest, Set<String> brokenLint) {
    if (j.prepare()) {
      return new Event.PrepareSucceeded(j.id(), PIPELINE);
    }
    boolean fails = j.step().equals("test") && commits.stream().anyMatch(brokenTest::contains)
        || j.step().equals("lint") && commits.stream().anyMatch(brokenLint::contains);
    return new Event.JobFinished(j.id(), !fails, fails ? "exit 1" : "exit 0");
  }

  private static void checkInvariants(QueueState s) {
    List<Candidate> all = s.candidates();
    for (Patch p : s.patches().values()) {
      boolean inCandidate = all.stream().anyMatch(c -> c.patches().contains(p.id()));
      boolean inPlay = inCandidate || s.bisection() != null && s.bisection().patches().contains(p.id());
      if (p.state() == PatchState.TESTING || p.state() == PatchState.PLAUSIBLE) {
        assertThat(inPlay).as(p.label() + " is " + p.state() + " but in no candidate or bisection").isTrue();
      }
      if (p.state() == PatchState.QUEUED) {
        assertThat(inCandidate).as(p.label() + " queued yet in a candidate").isFalse();
      }
    }
    assertThat(s.followers().isEmpty() || s.active() != null).as("followers without a head").isTrue();
    for (Candidate c : all) {
      assertThat(c.patches()).allMatch(id -> !s.patches().get(id).state().terminal());
    }
    for (Job j : s.jobs().values()) {
      assertThat(s.candidate(j.candidate())).as("a run of a candidate that ended").isPresent();
    }
  }
}
