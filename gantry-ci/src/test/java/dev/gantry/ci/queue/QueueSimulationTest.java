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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random days of the queue in virtual time: patches arrive while candidates run, some break
 * a step, some conflict, agents die. Whatever happens, every good patch is merged exactly once,
 * every bad one is rejected, and nothing is lost.
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
    Random rnd = new Random(seed);
    QueueEngine engine = new QueueEngine(1 + rnd.nextInt(8));
    QueueState s = QueueState.empty();
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
  }

  /** What the outside world does next: build, prepare, run a step, merge. */
  private static Event progress(QueueState s, Random rnd, List<String> agents, Set<String> brokenTest, Set<String> brokenLint,
      Set<String> conflicting, String master) {
    Candidate c = s.active();
    if (c == null) {
      return null;
    }
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
          if (j.prepare()) {
            return new Event.PrepareSucceeded(j.id(), PIPELINE);
          }
          boolean fails = j.step().equals("test") && commits.stream().anyMatch(brokenTest::contains)
              || j.step().equals("lint") && commits.stream().anyMatch(brokenLint::contains);
          return new Event.JobFinished(j.id(), !fails, fails ? "exit 1" : "exit 0");
        }
        int first = rnd.nextInt(agents.size());
        for (int k = 0; k < agents.size(); k++) {
          String agent = agents.get((first + k) % agents.size());
          var job = Scheduler.pick(s, agent, Set.of());
          if (job.isPresent()) {
            return new Event.JobAssigned(job.get().id(), agent);
          }
        }
        return running.isEmpty() ? null : finishAny(running.get(0), commits, brokenTest, brokenLint);
      }
    }
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
    Candidate c = s.active();
    for (Patch p : s.patches().values()) {
      boolean inPlay = c != null && c.patches().contains(p.id()) || s.bisection() != null && s.bisection().patches().contains(p.id());
      if (p.state() == PatchState.TESTING || p.state() == PatchState.PLAUSIBLE) {
        assertThat(inPlay).as(p.label() + " is " + p.state() + " but in no candidate or bisection").isTrue();
      }
      if (p.state() == PatchState.QUEUED) {
        assertThat(c == null || !c.patches().contains(p.id())).as(p.label() + " queued yet in the candidate").isTrue();
      }
    }
    if (c != null) {
      assertThat(c.patches()).allMatch(id -> !s.patches().get(id).state().terminal());
    }
    for (Job j : s.jobs().values()) {
      assertThat(c).as("runs without a candidate").isNotNull();
      assertThat(j.candidate()).isEqualTo(c.id());
    }
  }
}
