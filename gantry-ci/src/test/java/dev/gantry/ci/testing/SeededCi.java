package dev.gantry.ci.testing;

import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.CandidateStatus;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Scheduler;
import dev.gantry.ci.queue.Transition;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A CI server over a history of several days, made by driving the real queue engine through
 * pushes, builds, runs on two agents (some failing, some passing on a retry) and merges, with
 * the events recorded at past times as the server would have recorded them.
 */
public final class SeededCi implements AutoCloseable {
  public static final List<String> AGENTS = List.of("agent-a", "agent-b");

  private final Store store;
  private final CiService ci;
  private final TestWeb web;

  private SeededCi(Store store, CiService ci, TestWeb web) {
    this.store = store;
    this.ci = ci;
    this.web = web;
  }

  /**
   * Records about {@code patches} patches pushed over the {@code span} before {@code now}, then
   * starts the CI and the web server over them.
   */
  public static SeededCi start(Path root, Instant now, int patches, Duration span) {
    Store store = Store.open(root.resolve("gantry.db"));
    try {
      seed(new CiDatabase(store), now.minus(span), now, span.dividedBy(patches));
      Path central = new GitFixture(root).central("central", "README", "seeded\n");
      CiSettings settings = CiSettings.defaults(central.toString(), null, CiFixture.HOOK_SECRET, CiFixture.AGENT_TOKEN);
      CiService ci = CiService.start(settings, root.resolve("ci"), store, List.of(), Clock.systemUTC());
      return new SeededCi(store, ci, TestWeb.start(root.resolve("web"), 0, List.of(ci.webComponent())));
    } catch (java.io.IOException | RuntimeException e) {
      store.close();
      throw new IllegalStateException("could not seed the CI: " + e, e);
    }
  }

  /** Records patches pushed about {@code gap} apart from {@code from} until {@code until}, each tested, merged or rejected. */
  public static void seed(CiDatabase db, Instant from, Instant until, Duration gap) {
    QueueEngine engine = new QueueEngine(8); // as CiSettings.defaults, so the server replays the same queue
    StepGraph graph = StepGraph.of(List.of(StepSpec.shell("compile", "make"),
        StepSpec.shell("test", "make test", "compile").withRetries(1), StepSpec.shell("lint", "make lint", "compile")));
    Random random = new Random(17);
    QueueState s = QueueState.empty();
    Instant t = from;
    int submitted = 0;
    int assigned = 0;
    for (int i = 0; i < 100_000; i++) {
      if (s.paused()) {
        throw new IllegalStateException("the seeded queue paused: " + s.pauseReason());
      }
      Event e;
      if (s.active() == null || t.isBefore(until.minus(gap)) && random.nextInt(40) == 0) {
        if (s.active() == null && !t.isBefore(until.minus(gap))) {
          return;
        }
        submitted++;
        // pushes come about every gap apart, now and then during a test (they queue and batch)
        t = t.plus(s.active() == null ? gap.dividedBy(2).plus(gap.dividedBy(100).multipliedBy(random.nextInt(90)))
            : Duration.ofSeconds(20 + random.nextInt(200)));
        e = new Event.PatchSubmitted("review/p" + submitted, "c" + submitted, "dev", "patch " + submitted);
      } else if (s.active().commit() == null) {
        t = t.plusSeconds(20);
        e = new Event.CandidateBuilt(s.active().id(), "m", "m+" + i);
      } else if (s.active().status() == CandidateStatus.MERGING) {
        t = t.plusSeconds(5);
        e = new Event.MergeSucceeded(s.active().id(), s.active().commit());
      } else {
        Optional<Job> running = s.runningJobs().values().stream().findFirst();
        if (running.isPresent()) {
          Job j = running.get();
          t = t.plusSeconds(j.prepare() ? 30 : switch (j.step()) {
            case "compile" -> 60 + random.nextInt(60);
            case "test" -> 120 + random.nextInt(180);
            default -> 20 + random.nextInt(20);
          });
          e = j.prepare() ? new Event.PrepareSucceeded(j.id(), graph) : new Event.JobFinished(j.id(), passes(s, j, random), "exit");
        } else {
          // the agents take turns; a step that must follow its compile on the same agent waits for it
          Event.JobAssigned next = null;
          for (int k = 0; k < AGENTS.size() && next == null; k++) {
            String agent = AGENTS.get((assigned + k) % AGENTS.size());
            next = Scheduler.pick(s, agent, Set.of()).map(j -> new Event.JobAssigned(j.id(), agent)).orElse(null);
          }
          if (next == null) {
            throw new IllegalStateException("nothing to run and nothing running: " + s.active());
          }
          assigned++;
          t = t.plusSeconds(5 + random.nextInt(55));
          e = next;
        }
      }
      Transition tr = engine.apply(s, e, t);
      db.record(e, t, s, tr);
      s = tr.state();
    }
    throw new IllegalStateException("the seeded queue did not settle");
  }

  /**
   * Every sixth patch breaks compile, so candidates holding it fail and a bisection singles
   * it out; a first attempt of test fails now and then and passes on its retry (flaky).
   */
  private static boolean passes(QueueState s, Job j, Random random) {
    return switch (j.step()) {
      case "compile" -> s.active().patches().stream().noneMatch(p -> p % 6 == 0);
      case "test" -> j.attempt() > 1 || random.nextInt(4) != 0;
      default -> true;
    };
  }

  public CiService ci() {
    return ci;
  }

  public String url() {
    return web.url();
  }

  @Override
  public void close() {
    web.close();
    ci.close();
    store.close();
  }
}
