package dev.gantry.ci.server;

import dev.gantry.ci.api.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.TrailEntry;
import dev.gantry.ci.queue.Transition;
import dev.gantry.ci.stats.History;
import dev.gantry.core.store.Rows;
import dev.gantry.core.store.Store;
import dev.gantry.core.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CI's tables in the shared store: the event log the queue is rebuilt from, and the read
 * models (patches, candidates, runs) the pages and the API show, written in the same
 * transaction as the event that changed them.
 */
public final class CiDatabase {
  private final Store store;

  public CiDatabase(Store store) {
    this.store = store;
    store.migrate("ci", "classpath:db/ci");
  }

  /** A state is saved every this many events. */
  static final int SNAPSHOT_EVERY = 500;

  /**
   * The queue as the log leaves it: the latest snapshot (when it can be read) with the events
   * after it applied by {@code apply}.
   */
  public QueueState restore(QueueState empty, Replayer apply) {
    QueueState[] s = {empty};
    long from = 0;
    Optional<Snapshot> snap = store.queryOne("select seq, state from ci_snapshot order by seq desc limit 1",
        rs -> new Snapshot(rs.getLong(1), rs.getString(2)));
    if (snap.isPresent()) {
      try {
        s[0] = Json.read(snap.get().state(), QueueState.class);
        from = snap.get().seq();
      } catch (IllegalArgumentException e) {
        s[0] = empty; // written by another version: replay everything instead
      }
    }
    store.query("select at, type, body from ci_event where seq > ? order by seq", rs -> {
      s[0] = apply.apply(s[0], EventCodec.read(rs.getString(2), rs.getString(3)), Instant.ofEpochMilli(rs.getLong(1)));
      return null;
    }, from);
    return s[0];
  }

  /** Applies one logged event during {@link #restore}. */
  @FunctionalInterface
  public interface Replayer {
    QueueState apply(QueueState state, Event event, Instant at);
  }

  private record Snapshot(long seq, String state) {}

  /** Appends {@code event} and brings the read models from {@code before} to {@code after}, atomically. */
  public void record(Event event, Instant at, QueueState before, Transition t) {
    store.runInTransaction(tx -> {
      long seq = tx.insertReturningId("insert into ci_event(at, type, body) values (?, ?, ?)", at, EventCodec.type(event), EventCodec.body(event));
      project(tx, before, t, at);
      if (seq % SNAPSHOT_EVERY == 0) {
        tx.update("insert into ci_snapshot(seq, state) values (?, ?)", seq, Json.write(t.state()));
        tx.update("delete from ci_snapshot where seq < ?", seq);
      }
    });
  }

  private void project(Tx tx, QueueState before, Transition t, Instant at) {
    QueueState after = t.state();
    for (Job j : t.retired()) {
      if (!Objects.equals(before.jobs().get(j.id()), j)) {
        upsertRun(tx, j);
      }
    }
    after.patches().forEach((id, p) -> {
      if (!Objects.equals(before.patches().get(id), p)) {
        tx.update("insert or replace into ci_patch(id, branch, commit_sha, author, subject, submitted, state, reason, trail, candidates, closed, urgent)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            p.id(), p.branch(), p.commit(), p.author(), p.subject(), p.submitted(), p.state(), p.reason(),
            Json.write(p.trail()), Json.write(p.candidates()), p.closed(), p.urgent());
      }
    });
    after.jobs().forEach((id, j) -> {
      if (!Objects.equals(before.jobs().get(id), j)) {
        upsertRun(tx, j);
      }
    });
    // the active candidate and its followers: a follower that becomes the active one stays the same row
    for (Candidate now : after.candidates()) {
      if (!now.equals(before.candidate(now.id()).orElse(null))) {
        tx.update("insert or replace into ci_candidate(id, patches, probe, probe_step, base, commit_sha, status, outcome, created, finished)"
                + " values (?, ?, ?, ?, ?, ?, ?, null, ?, null)",
            now.id(), Json.write(now.patches()), now.probe(), now.probeStep(), now.base(), now.commit(), now.status(), now.created());
      }
    }
    for (Candidate old : before.candidates()) {
      if (after.candidate(old.id()).isEmpty()) {
        tx.update("update ci_candidate set status = 'DONE', outcome = ?, finished = ? where id = ?", outcome(tx, old, after), at, old.id());
      }
    }
  }

  private static String outcome(Tx tx, Candidate c, QueueState after) {
    boolean merged = !c.patches().isEmpty() && c.patches().stream()
        .allMatch(id -> after.patch(id).map(p -> p.state() == PatchState.MERGED).orElse(false));
    if (merged && !c.probe()) {
      return "merged";
    }
    int failed = tx.queryOne("select count(*) from ci_run r where candidate = ? and status = 'FAILED'"
        + " and id = (select max(id) from ci_run where candidate = r.candidate and step = r.step)", rs -> rs.getInt(1), c.id()).orElse(0);
    if (failed > 0) {
      return "failed";
    }
    if (c.probe()) {
      boolean passed = after.bisection() != null && after.bisection().trail().stream().anyMatch(t -> t.candidate() == c.id() && t.passed())
          || after.stackSearch() != null && after.stackSearch().trail().stream().anyMatch(t -> t.candidate() == c.id() && t.passed())
          || after.patches().values().stream().flatMap(p -> p.trail().stream()).anyMatch(t -> t.candidate() == c.id() && t.passed());
      return passed ? "passed" : "abandoned";
    }
    return "abandoned";
  }

  private static void upsertRun(Tx tx, Job j) {
    tx.update("insert or replace into ci_run(id, candidate, step, attempt, status, agent, created, started, finished, message)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        j.id(), j.candidate(), j.step(), j.attempt(), j.status(), j.agent(), j.created(), j.started(), j.finished(), j.message());
  }

  // ---- reading ---------------------------------------------------------------------------

  public List<Patch> patches(int limit) {
    return store.query("select * from ci_patch order by id desc limit ?", CiDatabase::patch, limit);
  }

  public Optional<Patch> patch(long id) {
    return store.queryOne("select * from ci_patch where id = ?", CiDatabase::patch, id);
  }

  public List<CandidateRow> candidates(int limit) {
    return store.query("select * from ci_candidate order by id desc limit ?", CiDatabase::candidate, limit);
  }

  public Optional<CandidateRow> candidate(long id) {
    return store.queryOne("select * from ci_candidate where id = ?", CiDatabase::candidate, id);
  }

  public List<RunRow> runsOf(long candidate) {
    return store.query("select * from ci_run where candidate = ? order by id", CiDatabase::run, candidate);
  }

  public Optional<RunRow> run(long id) {
    return store.queryOne("select * from ci_run where id = ?", CiDatabase::run, id);
  }

  /** Step runs that reached an agent (prepare excluded). */
  public long stepRuns() {
    return store.queryOne("select count(*) from ci_run where step <> 'prepare' and started is not null", rs -> rs.getLong(1)).orElse(0L);
  }

  /** Per step: runs, failures, passes on retry, mean and max duration in ms. */
  public List<StepStats> stepStats() {
    return store.query("select step, count(*) n, sum(case when status = 'FAILED' then 1 else 0 end) f,"
        + " sum(case when status = 'PASSED' and attempt > 1 then 1 else 0 end) flaky,"
        + " avg(finished - started) mean, max(finished - started) mx from ci_run"
        + " where started is not null and finished is not null and status in ('PASSED', 'FAILED') group by step",
        rs -> new StepStats(rs.getString("step"), rs.getLong("n"), rs.getLong("f"), rs.getLong("flaky"), rs.getLong("mean"), rs.getLong("mx")));
  }

  /**
   * What the trends need from {@code from} on: patches open or closed since, the candidates
   * that tested them, and the runs that ended since or are still going.
   */
  public History history(Instant from) {
    List<History.PatchRecord> patches = store.query(
        "select submitted, closed, state, candidates from ci_patch where closed is null or closed >= ? or submitted >= ?",
        rs -> {
          try {
            return new History.PatchRecord(Rows.instant(rs, "submitted"), Rows.instant(rs, "closed"),
                PatchState.MERGED.name().equals(rs.getString("state")), Json.MAPPER.readValue(rs.getString("candidates"), IDS));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable patch row", e);
          }
        }, from, from);
    long firstCandidate = patches.stream().flatMap(p -> p.candidates().stream()).mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    List<History.CandidateRecord> candidates = store.query("select id, created from ci_candidate where id >= ?",
        rs -> new History.CandidateRecord(rs.getLong("id"), Rows.instant(rs, "created")), firstCandidate);
    List<History.RunRecord> runs = store.query(
        "select step, attempt, status, agent, created, started, finished from ci_run where finished is null or finished >= ?",
        rs -> new History.RunRecord(rs.getString("step"), rs.getInt("attempt"), rs.getString("status"), rs.getString("agent"),
            Rows.instant(rs, "created"), Rows.instant(rs, "started"), Rows.instant(rs, "finished")), from);
    return new History(patches, candidates, runs);
  }

  public Optional<String> polled(String branch) {
    return store.queryOne("select sha from ci_poll where branch = ?", rs -> rs.getString(1), branch);
  }

  public void polledNow(String branch, String sha) {
    store.update("insert or replace into ci_poll(branch, sha) values (?, ?)", branch, sha);
  }

  /**
   * Records the nonce of a hook message accepted at {@code at}; false when it was recorded
   * before. Nonces older than {@code forgetBefore} are dropped: a message that old is
   * refused by its timestamp already.
   */
  public boolean firstUseOfNonce(String nonce, Instant at, Instant forgetBefore) {
    return store.inTransaction(tx -> {
      tx.update("delete from ci_hook_nonce where at < ?", forgetBefore.toEpochMilli());
      return tx.update("insert or ignore into ci_hook_nonce(nonce, at) values (?, ?)", nonce, at.toEpochMilli()) == 1;
    });
  }

  private static final TypeReference<List<TrailEntry>> TRAIL = new TypeReference<>() {};
  private static final TypeReference<List<Long>> IDS = new TypeReference<>() {};

  private static Patch patch(ResultSet rs) throws SQLException {
    try {
      return new Patch(rs.getLong("id"), rs.getString("branch"), rs.getString("commit_sha"), rs.getString("author"),
          rs.getString("subject"), Rows.instant(rs, "submitted"), PatchState.valueOf(rs.getString("state")), rs.getString("reason"),
          Json.MAPPER.readValue(rs.getString("trail"), TRAIL), Json.MAPPER.readValue(rs.getString("candidates"), IDS),
          Rows.instant(rs, "closed"), Rows.bool(rs, "urgent"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("unreadable patch row " + rs.getLong("id"), e);
    }
  }

  private static CandidateRow candidate(ResultSet rs) throws SQLException {
    try {
      return new CandidateRow(rs.getLong("id"), Json.MAPPER.readValue(rs.getString("patches"), IDS), Rows.bool(rs, "probe"),
          rs.getString("probe_step"), rs.getString("base"), rs.getString("commit_sha"), rs.getString("status"), rs.getString("outcome"),
          Rows.instant(rs, "created"), Rows.instant(rs, "finished"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("unreadable candidate row " + rs.getLong("id"), e);
    }
  }

  private static RunRow run(ResultSet rs) throws SQLException {
    return new RunRow(rs.getLong("id"), rs.getLong("candidate"), rs.getString("step"), rs.getInt("attempt"),
        JobStatus.valueOf(rs.getString("status")), rs.getString("agent"), Rows.instant(rs, "created"), Rows.instant(rs, "started"),
        Rows.instant(rs, "finished"), rs.getString("message"));
  }

  /** A candidate as the pages show it. */
  public record CandidateRow(long id, List<Long> patches, boolean probe, String probeStep, String base, String commit,
      String status, String outcome, Instant created, Instant finished) {}

  /** A run as the pages show it. */
  public record RunRow(long id, long candidate, String step, int attempt, JobStatus status, String agent, Instant created,
      Instant started, Instant finished, String message) {}

  /**
   * How a step fares over all its runs.
   *
   * @param flaky runs that passed only on a retry
   */
  public record StepStats(String step, long runs, long failures, long flaky, long meanMillis, long maxMillis) {}
}
