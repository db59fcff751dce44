package dev.gantry.bench.ci;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.Effect;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Scheduler;
import dev.gantry.ci.queue.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The patch queue in virtual time, driven by the real {@link QueueEngine} and {@link Scheduler}:
 * simulated pushes (Poisson arrivals), simulated agents that take runs and report them after a
 * seeded duration, and a simulated git layer (building and merging a candidate is instant). A
 * candidate fails its step when it contains a bad patch; the engine's own bisection finds it.
 *
 * <p>For each policy, number of agents and load: patches merged per hour, median and p95 time
 * from push to merge, agent-minutes per merged patch.
 *
 * <pre>{@code
 * java -cp ... dev.gantry.bench.ci.QueueSim bench/results   # writes ci-queue-sim.md
 * }</pre>
 */
public final class QueueSim {
  static final int PATCHES = 200;
  static final double BAD_SHARE = 0.10;
  static final Duration PREPARE = Duration.ofSeconds(20);
  static final Duration STEP = Duration.ofMinutes(5);
  /** Standard deviation of a step's duration, as a share of {@link #STEP}. */
  static final double STEP_SPREAD = 0.10;
  static final int SEEDS = 5;
  static final String STEP_NAME = "test";
  static final StepGraph GRAPH = StepGraph.of(List.of(StepSpec.shell(STEP_NAME, "./build.sh test")));

  /** A way of running the queue: the engine's settings (a window of 1 tests one candidate at a time). */
  record Policy(String name, int maxBatch, int maxWindow) {}

  record Scenario(int agents, double load) {}

  /** What one or more runs of a scenario under a policy gave. */
  record Outcome(int merged, int rejected, double perHour, double medianMinutes, double p95Minutes, double agentMinutesPerMerge, double ceilingPerHour) {}

  static final Policy ONE_AT_A_TIME = new Policy("one at a time (max batch 1)", 1, 1);
  static final Policy BATCHING = new Policy("batching + bisection (max batch 8)", 8, 1);
  static final Policy SPECULATIVE = new Policy("speculative (window, max batch 8)", 8, QueueEngine.MAX_WINDOW);
  static final List<Policy> POLICIES = List.of(ONE_AT_A_TIME, BATCHING, SPECULATIVE);

  private QueueSim() {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
    Files.createDirectories(results);
    long started = System.nanoTime();
    var rows = new StringBuilder();
    Map<String, Outcome> outcomes = new HashMap<>();
    for (int agents : List.of(1, 4, 8)) {
      for (double load : List.of(1.0, 3.0)) {
        for (Policy p : POLICIES) {
          Outcome o = simulate(p, new Scenario(agents, load));
          outcomes.put(key(p, agents, load), o);
          rows.append(String.format(Locale.ROOT, "| %d | %.0fx | %s | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", agents, load, p.name(), o.merged(), o.rejected(),
              o.perHour(), o.medianMinutes(), o.p95Minutes(), o.agentMinutesPerMerge()));
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String report = String.format(Locale.ROOT, """
        # CI queue simulator

        Run on %s with `bench/ci/sim.sh` (that is `bench/ci/run.sh sim`: `java -cp bench/ci/target/classes:$(cat bench/ci/target/classpath.txt) dev.gantry.bench.ci.QueueSim bench/results`), %.1f s of wall time.

        The real pure queue engine (`QueueEngine`, `Scheduler` from gantry-ci) in virtual time. %d patches,
        %.0f %% of them bad (a candidate containing a bad patch fails its step; the engine bisects).
        A run of "prepare" takes %d s, then the pipeline's one step takes %d minutes (normal, standard
        deviation %.0f %%, at least half of it). Building and merging a candidate take no time. Each
        agent runs one thing at a time. Pushes arrive as a Poisson process at 1x and 3x the rate one
        agent merges patches one by one (one every %.0f s at 1x). Each row pools %d seeds (the same
        arrivals, bad patches and seeds for every policy).

        Columns: patches merged per hour (merged / time from the first push to the last merge),
        median and p95 minutes from push to merge, agent-minutes (busy time, cancelled runs
        included) per merged patch.

        Policies: one patch per candidate; today's batching (up to 8 patches in a candidate, one
        candidate at a time, bisection on failure); speculative candidates (the head of the queue and
        followers built on it, up to a window of `ci.max-window` = %d, no more than the agents,
        halved when a candidate fails, not below half the agents, and grown by one with each merge;
        one patch per follower, a batch of up to 8 when the window is one).

        %s

        | agents | load | policy | merged | rejected | merged/h | median min | p95 min | agent-min/merge |
        |---|---|---|---|---|---|---|---|---|
        %s""", LocalDate.now(), seconds, PATCHES, BAD_SHARE * 100, PREPARE.toSeconds(), STEP.toMinutes(), STEP_SPREAD * 100,
        oneByOne().toMillis() / 1000.0, SEEDS, QueueEngine.MAX_WINDOW, goal(outcomes), rows);
    Path out = results.resolve("ci-queue-sim.md");
    Files.writeString(out, report);
    System.out.print(report);
    System.err.println("wrote " + out);
  }

  private static String key(Policy p, int agents, double load) {
    return p.name() + "/" + agents + "/" + load;
  }

  /**
   * The goal: with 4 agents at 3x load, speculative merges at least 3x the patches per hour of
   * one at a time and beats batching on p95 time to merge; on 1 agent it is no worse than batching.
   */
  static String goal(Map<String, Outcome> o) {
    Outcome one = o.get(key(ONE_AT_A_TIME, 4, 3.0));
    Outcome batch = o.get(key(BATCHING, 4, 3.0));
    Outcome spec = o.get(key(SPECULATIVE, 4, 3.0));
    boolean rate = spec.perHour() >= 3 * one.perHour();
    boolean p95 = spec.p95Minutes() < batch.p95Minutes();
    boolean single = true;
    var b = new StringBuilder();
    for (double load : List.of(1.0, 3.0)) {
      Outcome b1 = o.get(key(BATCHING, 1, load));
      Outcome s1 = o.get(key(SPECULATIVE, 1, load));
      single &= s1.perHour() >= b1.perHour() && s1.p95Minutes() <= b1.p95Minutes();
      b.append(String.format(Locale.ROOT, "at %.0fx %.1f/h and p95 %.1f min against %.1f/h and %.1f min; ", load, s1.perHour(), s1.p95Minutes(),
          b1.perHour(), b1.p95Minutes()));
    }
    return String.format(Locale.ROOT, "Goal %s. With 4 agents at 3x load, speculative merges %.1f patches per hour, %.1fx the %.1f of one at a"
            + " time (goal: at least 3x, %s), with a p95 of %.1f min against %.1f min for batching (goal: lower, %s). On 1 agent (goal: no"
            + " worse than batching, %s): %s No policy can merge more than the good patches pushed, as fast as they"
            + " come: at 3x that ceiling is %.1f/h (the merges over the time from the first push to one pipeline after the last).",
        rate && p95 && single ? "met" : "NOT met", spec.perHour(), spec.perHour() / one.perHour(), one.perHour(), rate ? "met" : "not met",
        spec.p95Minutes(), batch.p95Minutes(), p95 ? "met" : "not met", single ? "met" : "not met", b.toString().replaceAll("; $", "."), spec.ceilingPerHour());
  }

  /** How long one agent takes for one patch alone: the unit of load. */
  static Duration oneByOne() {
    return PREPARE.plus(STEP);
  }

  /** Runs {@link #SEEDS} seeds and pools them. */
  static Outcome simulate(Policy policy, Scenario scenario) {
    List<Double> times = new ArrayList<>();
    int merged = 0;
    int rejected = 0;
    double hours = 0;
    double agentMinutes = 0;
    double ceilingHours = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Run r = new Run(policy, scenario, seed);
      r.run();
      merged += r.mergedAt.size();
      rejected += r.rejected;
      hours += r.hours();
      ceilingHours += r.ceilingHours();
      agentMinutes += r.busyMillis / 60_000.0;
      r.pushToMerge().forEach(times::add);
    }
    times.sort(null);
    return new Outcome(merged, rejected, merged / hours, percentile(times, 0.50), percentile(times, 0.95), agentMinutes / merged, merged / ceilingHours);
  }

  static double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Something due at a time in the future: a push, or an agent reporting its run. */
  private sealed interface Due {
    Instant at();

    long seq();
  }

  private record Push(Instant at, long seq, String commit) implements Due {}

  private record Report(Instant at, long seq, String agent, long job, Event event) implements Due {}

  /** One simulated day: the engine's state, the agents, the clock and the figures. */
  static final class Run {
    final QueueEngine engine;
    final Instant start = Instant.parse("2026-01-05T09:00:00Z");
    final Random durations;
    final PriorityQueue<Due> agenda = new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingLong(Due::seq));
    final Set<String> bad = new HashSet<>();
    final Map<String, Instant> pushedAt = new HashMap<>();
    final Map<String, Instant> mergedAt = new LinkedHashMap<>();
    /** The patch commits each candidate tests: those of its base (for a follower, the candidate ahead) and its own. */
    final Map<Long, List<String>> candidateCommits = new HashMap<>();
    final Map<String, List<String>> commitContents = new HashMap<>();
    final Map<String, Long> busy = new LinkedHashMap<>();
    final Map<String, Instant> busySince = new HashMap<>();
    final List<String> agents = new ArrayList<>();
    QueueState state = QueueState.empty();
    Instant now = start;
    String master = "m0";
    long seq;
    long busyMillis;
    int rejected;

    Run(Policy policy, Scenario scenario, long seed) {
      engine = new QueueEngine(policy.maxBatch(), policy.maxWindow());
      Random arrivals = new Random(seed);
      durations = new Random(seed * 7919);
      double meanGap = oneByOne().toMillis() / scenario.load();
      Instant t = start;
      for (int i = 0; i < PATCHES; i++) {
        t = t.plusMillis(Math.round(-Math.log(1 - arrivals.nextDouble()) * meanGap));
        String commit = "p" + i;
        if (arrivals.nextDouble() < BAD_SHARE) {
          bad.add(commit);
        }
        pushedAt.put(commit, t);
        agenda.add(new Push(t, seq++, commit));
      }
      for (int i = 1; i <= scenario.agents(); i++) {
        agents.add("agent" + i);
      }
      state = engine.apply(state, new Event.AgentSlots(scenario.agents()), start).state();
    }

    void run() {
      int steps = 0;
      while (!agenda.isEmpty()) {
        if (++steps > 1_000_000) {
          throw new IllegalStateException("the simulation does not end: " + state.live().size() + " patches live");
        }
        Due d = agenda.poll();
        now = d.at();
        switch (d) {
          case Push p -> apply(new Event.PatchSubmitted("review/" + p.commit(), p.commit(), "dev", "patch " + p.commit()));
          case Report r -> {
            if (!Long.valueOf(r.job()).equals(busy.get(r.agent()))) {
              continue; // the run was cancelled before it ended
            }
            free(r.agent());
            apply(r.event());
          }
        }
        dispatch();
      }
      if (!state.live().isEmpty()) {
        throw new IllegalStateException("the queue stopped with " + state.live().size() + " patches live");
      }
    }

    /** Applies {@code first} and every event its effects cause at once (builds and merges). */
    private void apply(Event first) {
      Deque<Event> pending = new ArrayDeque<>(List.of(first));
      while (!pending.isEmpty()) {
        Transition t = engine.apply(state, pending.poll(), now);
        state = t.state();
        for (Effect e : t.effects()) {
          switch (e) {
            case Effect.BuildCandidate b -> {
              String base = b.base() != null ? b.base() : master;
              List<String> contents = new ArrayList<>(commitContents.getOrDefault(base, List.of()));
              b.patches().forEach(p -> contents.add(p.commit()));
              candidateCommits.put(b.candidate(), contents);
              commitContents.put("c" + b.candidate(), contents);
              pending.add(new Event.CandidateBuilt(b.candidate(), base, "c" + b.candidate()));
            }
            case Effect.Merge m -> {
              master = m.commit();
              pending.add(new Event.MergeSucceeded(m.candidate(), m.commit()));
            }
            case Effect.CancelJob c -> {
              if (Long.valueOf(c.job()).equals(busy.get(c.agent()))) {
                free(c.agent());
              }
            }
            case Effect.Notify n -> {
              if (n.outcome() == Effect.Outcome.MERGED) {
                mergedAt.put(n.patch().commit(), now);
              } else if (n.outcome() == Effect.Outcome.REJECTED) {
                rejected++;
              }
            }
          }
        }
      }
    }

    /** Gives each idle agent the run the real scheduler picks for it. */
    private void dispatch() {
      for (String agent : agents) {
        if (busy.containsKey(agent)) {
          continue;
        }
        var next = Scheduler.pick(state, agent, Set.of());
        if (next.isEmpty()) {
          continue;
        }
        Job j = next.get();
        apply(new Event.JobAssigned(j.id(), agent));
        busy.put(agent, j.id());
        busySince.put(agent, now);
        if (j.prepare()) {
          agenda.add(new Report(now.plus(PREPARE), seq++, agent, j.id(), new Event.PrepareSucceeded(j.id(), GRAPH)));
        } else {
          boolean passes = candidateCommits.get(j.candidate()).stream().noneMatch(bad::contains);
          agenda.add(new Report(now.plus(stepDuration()), seq++, agent, j.id(), new Event.JobFinished(j.id(), passes, passes ? "exit 0" : "exit 1")));
        }
      }
    }

    private Duration stepDuration() {
      double share = Math.max(0.5, 1 + durations.nextGaussian() * STEP_SPREAD);
      return Duration.ofMillis(Math.round(STEP.toMillis() * share));
    }

    private void free(String agent) {
      busy.remove(agent);
      busyMillis += Duration.between(busySince.remove(agent), now).toMillis();
    }

    double hours() {
      Instant first = pushedAt.values().stream().min(Instant::compareTo).orElseThrow();
      Instant last = mergedAt.values().stream().max(Instant::compareTo).orElse(first);
      return Duration.between(first, last).toMillis() / 3_600_000.0;
    }

    /** The shortest the day could be: from the first push to the last, plus one pipeline for the last patch. */
    double ceilingHours() {
      Instant first = pushedAt.values().stream().min(Instant::compareTo).orElseThrow();
      Instant last = pushedAt.values().stream().max(Instant::compareTo).orElseThrow();
      return Duration.between(first, last.plus(oneByOne())).toMillis() / 3_600_000.0;
    }

    List<Double> pushToMerge() {
      return mergedAt.entrySet().stream().map(e -> Duration.between(pushedAt.get(e.getKey()), e.getValue()).toMillis() / 60_000.0).toList();
    }
  }
}
