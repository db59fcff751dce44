package dev.gantry.ci.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ci.stats.History.CandidateRecord;
import dev.gantry.ci.stats.History.PatchRecord;
import dev.gantry.ci.stats.History.RunRecord;
import dev.gantry.ci.stats.Trends.Line;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendsCalculatorTest {
  /** Noon on Wednesday 2 December 2026, UTC. */
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  static final History EMPTY = new History(List.of(), List.of(), List.of());

  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  static List<Double> values(Trends.Chart chart, String label) {
    return chart.lines().stream().filter(l -> l.label().equals(label)).findFirst().map(Line::values).orElseThrow();
  }

  static List<Double> days(Double... v) {
    return Arrays.asList(v);
  }

  static RunRecord run(String step, int attempt, String outcome, String agent, String created, String started, String finished) {
    return new RunRecord(step, attempt, outcome, agent, t(created), started == null ? null : t(started),
        finished == null ? null : t(finished));
  }

  @Test
  void theDaysEndTodayInTheViewersZone() {
    Trends utc = TrendsCalculator.compute(EMPTY, NOW, ZoneOffset.UTC, 3);
    assertThat(utc.zone()).isEqualTo("Z");
    assertThat(utc.days()).containsExactly(t("2026-11-30T00:00:00Z").getEpochSecond(), t("2026-12-01T00:00:00Z").getEpochSecond(),
        t("2026-12-02T00:00:00Z").getEpochSecond());
    // at noon UTC it is already 3 December in Auckland (UTC+13 in summer)
    Trends auckland = TrendsCalculator.compute(EMPTY, NOW, ZoneId.of("Pacific/Auckland"), 1);
    assertThat(auckland.days()).containsExactly(t("2026-12-02T11:00:00Z").getEpochSecond());
    assertThat(TrendsCalculator.spanStart(NOW, ZoneOffset.UTC, 3)).isEqualTo(t("2026-11-30T00:00:00Z"));
  }

  @Test
  void timeToMergeIsThePerDayMedianAndNinetiethPercentileOfMergedPatches() {
    List<PatchRecord> patches = new ArrayList<>();
    // merged on 1 December after 10, 20 and 60 minutes; a rejected one does not count
    patches.add(new PatchRecord(t("2026-12-01T09:00:00Z"), t("2026-12-01T09:10:00Z"), true, List.of()));
    patches.add(new PatchRecord(t("2026-12-01T09:00:00Z"), t("2026-12-01T09:20:00Z"), true, List.of()));
    patches.add(new PatchRecord(t("2026-12-01T09:00:00Z"), t("2026-12-01T10:00:00Z"), true, List.of()));
    patches.add(new PatchRecord(t("2026-12-01T09:00:00Z"), t("2026-12-01T15:00:00Z"), false, List.of()));
    // pushed on 30 November, merged on 2 December: counted on the day it was merged
    patches.add(new PatchRecord(t("2026-11-30T23:00:00Z"), t("2026-12-02T01:00:00Z"), true, List.of()));
    // still open
    patches.add(new PatchRecord(t("2026-12-02T11:00:00Z"), null, false, List.of()));
    Trends tr = TrendsCalculator.compute(new History(patches, List.of(), List.of()), NOW, ZoneOffset.UTC, 3);
    assertThat(values(tr.timeToMerge(), "median")).isEqualTo(days(null, 1200.0, 93600.0));
    assertThat(values(tr.timeToMerge(), "90th percentile")).isEqualTo(days(null, 3600.0, 93600.0));
    assertThat(tr.timeToMerge().unit()).isEqualTo("s");
  }

  @Test
  void queueWaitCountsPatchesUntilTheirFirstCandidateAndRunsUntilAnAgentTookThem() {
    History h = new History(
        List.of(new PatchRecord(t("2026-12-02T08:00:00Z"), null, false, List.of(5L, 3L)),
            new PatchRecord(t("2026-12-02T09:00:00Z"), null, false, List.of(9L)), // its candidate is not known
            new PatchRecord(t("2026-12-02T09:00:00Z"), null, false, List.of())),
        List.of(new CandidateRecord(3, t("2026-12-02T08:05:00Z")), new CandidateRecord(5, t("2026-12-02T08:30:00Z"))),
        List.of(run("test", 1, "PASSED", "a", "2026-12-02T08:06:00Z", "2026-12-02T08:06:30Z", "2026-12-02T08:07:00Z"),
            run("lint", 1, "PASSED", "a", "2026-12-02T08:06:00Z", "2026-12-02T08:07:30Z", "2026-12-02T08:08:00Z"),
            run("docs", 1, "RUNNING", "a", "2026-12-02T08:06:00Z", "2026-12-02T08:08:30Z", null),
            run("slow", 1, "QUEUED", null, "2026-12-02T08:06:00Z", null, null)));
    Trends tr = TrendsCalculator.compute(h, NOW, ZoneOffset.UTC, 2);
    assertThat(values(tr.queueWait(), "patch waits for testing (median)")).isEqualTo(days(null, 300.0));
    assertThat(values(tr.queueWait(), "run waits for an agent (median)")).isEqualTo(days(null, 90.0));
  }

  @Test
  void stepDurationsAreMeansOfFinishedRunsForTheStepsRunMost() {
    List<RunRecord> runs = new ArrayList<>();
    runs.add(run("compile", 1, "PASSED", "a", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z", "2026-12-01T08:01:00Z"));
    runs.add(run("compile", 1, "FAILED", "a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T09:03:00Z"));
    runs.add(run("compile", 1, "CANCELLED", "a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"));
    runs.add(run("test", 1, "PASSED", "a", "2026-12-02T08:00:00Z", "2026-12-02T08:00:00Z", "2026-12-02T08:00:30Z"));
    for (int i = 0; i < TrendsCalculator.MAX_STEPS; i++) {
      runs.add(run("step" + i, 1, "PASSED", "a", "2026-12-02T08:00:00Z", "2026-12-02T08:00:00Z", "2026-12-02T08:00:01Z"));
      runs.add(run("step" + i, 1, "PASSED", "a", "2026-12-02T08:00:00Z", "2026-12-02T08:00:00Z", "2026-12-02T08:00:01Z"));
    }
    Trends tr = TrendsCalculator.compute(new History(List.of(), List.of(), runs), NOW, ZoneOffset.UTC, 2);
    assertThat(tr.stepDurations().lines()).hasSize(TrendsCalculator.MAX_STEPS);
    assertThat(values(tr.stepDurations(), "compile")).isEqualTo(days(120.0, null));
    assertThat(tr.stepDurations().lines()).extracting(Line::label).as("run once, the fewest").doesNotContain("test");
  }

  @Test
  void ratesArePercentagesOfFinishedRunsPerDay() {
    List<RunRecord> runs = List.of(
        run("test", 1, "FAILED", "a", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z", "2026-12-01T08:01:00Z"),
        run("test", 2, "PASSED", "a", "2026-12-01T08:01:00Z", "2026-12-01T08:01:00Z", "2026-12-01T08:02:00Z"),
        run("lint", 1, "PASSED", "a", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z", "2026-12-01T08:01:00Z"),
        run("docs", 1, "PASSED", "a", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z", "2026-12-01T08:01:00Z"),
        run("skip", 1, "SKIPPED", "a", "2026-12-01T08:00:00Z", null, "2026-12-01T08:01:00Z"),
        run("late", 1, "FAILED", "a", "2026-12-02T08:00:00Z", "2026-12-02T08:00:00Z", "2026-12-02T08:01:00Z"));
    Trends tr = TrendsCalculator.compute(new History(List.of(), List.of(), runs), NOW, ZoneOffset.UTC, 3);
    assertThat(values(tr.rates(), "failed")).isEqualTo(days(null, 25.0, 100.0));
    assertThat(values(tr.rates(), "flaky (passed on a retry)")).isEqualTo(days(null, 33.3, null));
    assertThat(tr.rates().unit()).isEqualTo("%");
  }

  @Test
  void agentUseSplitsARunOverTheDaysItSpansAndCountsARunningOneUntilNow() {
    List<RunRecord> runs = List.of(
        run("build", 1, "PASSED", "alpha", "2026-12-01T22:00:00Z", "2026-12-01T22:00:00Z", "2026-12-02T01:00:00Z"),
        run("test", 1, "RUNNING", "beta", "2026-12-02T09:00:00Z", "2026-12-02T09:00:00Z", null),
        // began before the span: only its part inside counts
        run("long", 1, "PASSED", "beta", "2026-11-29T12:00:00Z", "2026-11-29T12:00:00Z", "2026-11-30T06:00:00Z"),
        run("queued", 1, "QUEUED", null, "2026-12-02T09:00:00Z", null, null));
    Trends tr = TrendsCalculator.compute(new History(List.of(), List.of(), runs), NOW, ZoneOffset.UTC, 3);
    assertThat(values(tr.agentUse(), "alpha")).isEqualTo(days(0.0, 2.0, 1.0));
    assertThat(values(tr.agentUse(), "beta")).isEqualTo(days(6.0, 0.0, 3.0));
    assertThat(tr.agentUse().lines()).extracting(Line::label).containsExactly("beta", "alpha");
  }

  @Test
  void anEmptyHistoryGivesEmptyDays() {
    Trends tr = TrendsCalculator.compute(EMPTY, NOW, ZoneOffset.UTC, 7);
    assertThat(values(tr.timeToMerge(), "median")).hasSize(7).containsOnlyNulls();
    assertThat(tr.stepDurations().lines()).isEmpty();
    assertThat(tr.agentUse().lines()).isEmpty();
  }

  @Test
  void theSpanMustBeSensible() {
    assertThatThrownBy(() -> TrendsCalculator.compute(EMPTY, NOW, ZoneOffset.UTC, 0)).hasMessageContaining("from 1 to 366");
    assertThatThrownBy(() -> TrendsCalculator.compute(EMPTY, NOW, ZoneOffset.UTC, 367)).hasMessageContaining("from 1 to 366");
  }
}
