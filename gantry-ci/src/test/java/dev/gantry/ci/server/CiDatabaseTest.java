package dev.gantry.ci.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ci.api.Json;
import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.QueueEngine;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.Scheduler;
import dev.gantry.ci.queue.Transition;
import dev.gantry.ci.stats.History;
import dev.gantry.core.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiDatabaseTest {
  @TempDir Path tmp;

  /** Drives a queue through enough events for snapshots, with bisections and a state in the middle of a run. */
  @Test
  void theQueueComesBackTheSameFromSnapshotAndLog() {
    QueueEngine engine = new QueueEngine(4);
    StepGraph g = StepGraph.of(List.of(StepSpec.shell("compile", "make"), StepSpec.shell("test", "t", "compile").withRetries(1)));
    QueueState s = QueueState.empty();
    Instant now = Instant.parse("2024-01-01T00:00:00Z");
    try (Store store = Store.open(tmp.resolve("gantry.db"))) {
      CiDatabase db = new CiDatabase(store);
      int events = 0;
      for (int i = 0; events < CiDatabase.SNAPSHOT_EVERY + 137; i++) {
        now = now.plusSeconds(1);
        Event e;
        if (s.active() == null) {
          e = new Event.PatchSubmitted("review/p" + i, "c" + i, "dev", "p" + i);
        } else if (s.active().commit() == null) {
          e = new Event.CandidateBuilt(s.active().id(), "m", "m+" + i);
        } else if (s.active().status() == dev.gantry.ci.queue.CandidateStatus.MERGING) {
          e = new Event.MergeSucceeded(s.active().id(), s.active().commit());
        } else {
          var running = s.runningJobs().values().stream().findFirst();
          if (running.isPresent()) {
            Job j = running.get();
            e = j.prepare() ? new Event.PrepareSucceeded(j.id(), g) : new Event.JobFinished(j.id(), i % 7 != 0, "exit");
          } else {
            Job j = Scheduler.pick(s, "a", Set.of()).orElseThrow();
            e = new Event.JobAssigned(j.id(), "a");
          }
        }
        Transition t = engine.apply(s, e, now);
        db.record(e, now, s, t);
        s = t.state();
        events++;
      }
      QueueState restored = db.restore(QueueState.empty(), (st, ev, at) -> engine.apply(st, ev, at).state());
      assertThat(restored).isEqualTo(s);
      assertThat(store.queryOne("select count(*) from ci_snapshot", rs -> rs.getInt(1))).contains(1);
      assertThat(Json.read(Json.write(s), QueueState.class)).isEqualTo(s);
    }
  }

  /** A snapshot written before speculative candidates existed has no followers, window or slots: it loads, with none. */
  @Test
  void aSnapshotWithoutTheSpeculationFieldsLoads() throws Exception {
    QueueEngine engine = new QueueEngine(4);
    Instant now = Instant.parse("2024-01-01T00:00:00Z");
    QueueState s = engine.apply(QueueState.empty(), new Event.PatchSubmitted("review/a", "c1", "dev", "a"), now).state();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Json.write(s));
    assertThat(tree.has("followers")).isTrue();
    tree.remove(List.of("followers", "window", "slots"));
    QueueState old = Json.read(tree.toString(), QueueState.class);
    assertThat(old).isEqualTo(s);
    assertThat(old.followers()).isEmpty();
    assertThat(engine.window(old)).isEqualTo(1);
    // and the engine goes on from it
    assertThat(engine.apply(old, new Event.CandidateBuilt(old.active().id(), "m", "m+c1"), now).state().active().commit()).isEqualTo("m+c1");
  }

  /** The trends' history holds what ended since the start of the span, and what is still open; nothing older. */
  @Test
  void historyHoldsWhatEndedSinceTheSpanBeganAndWhatIsOpen() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    try (Store store = Store.open(tmp.resolve("gantry.db"))) {
      CiDatabase db = new CiDatabase(store);
      dev.gantry.ci.testing.SeededCi.seed(db, now.minus(java.time.Duration.ofDays(10)), now, java.time.Duration.ofHours(4));
      Instant from = now.minus(java.time.Duration.ofDays(3));
      var h = db.history(from);
      long recentRuns = store.queryOne("select count(*) from ci_run where finished is null or finished >= ?", rs -> rs.getLong(1),
          from).orElseThrow();
      long allRuns = store.queryOne("select count(*) from ci_run", rs -> rs.getLong(1)).orElseThrow();
      assertThat(h.runs()).hasSize((int) recentRuns).hasSizeLessThan((int) allRuns);
      assertThat(h.runs()).allSatisfy(r -> assertThat(r.finished() == null || !r.finished().isBefore(from)).isTrue());
      assertThat(h.patches()).isNotEmpty().allSatisfy(p -> assertThat(p.closed() == null || !p.closed().isBefore(from)
          || !p.submitted().isBefore(from)).isTrue());
      assertThat(h.patches()).anyMatch(History.PatchRecord::merged);
      // every candidate of those patches is there, so the first one is known
      var known = h.candidates().stream().map(History.CandidateRecord::id).toList();
      assertThat(h.patches()).allSatisfy(p -> assertThat(known).containsAll(p.candidates()));
    }
  }
}
