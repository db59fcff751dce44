package dev.gantry.ci.stats;

import dev.gantry.ci.stats.History.CandidateRecord;
import dev.gantry.ci.stats.History.PatchRecord;
import dev.gantry.ci.stats.History.RunRecord;
import dev.gantry.ci.stats.Trends.Chart;
import dev.gantry.ci.stats.Trends.Line;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Cuts the CI's history into days in a time zone and sums each day up: a pure function of the
 * history and the time now, so the page and the tests see the same figures.
 *
 * <pre>{@code
 * Trends t = TrendsCalculator.compute(history, Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC, 14);
 * }</pre>
 */
public final class TrendsCalculator {
  /** The longest span asked for. */
  public static final int MAX_DAYS = 366;
  /** Step durations chart the steps run most often, at most this many. */
  static final int MAX_STEPS = 8;
  /** Agent use charts the busiest agents, at most this many. */
  static final int MAX_AGENTS = 12;

  private TrendsCalculator() {}

  /** Where the span of {@code days} days ending today (of {@code now} in {@code zone}) begins. */
  public static Instant spanStart(Instant now, ZoneId zone, int days) {
    return LocalDate.ofInstant(now, zone).minusDays(Math.max(0, days - 1L)).atStartOfDay(zone).toInstant();
  }

  /** The last {@code days} days up to and including today (of {@code now} in {@code zone}). */
  public static Trends compute(History h, Instant now, ZoneId zone, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be from 1 to " + MAX_DAYS + ", got " + days);
    }
    Days d = new Days(LocalDate.ofInstant(now, zone).minusDays(days - 1L), days, zone);
    return new Trends(zone.getId(), d.startsInSeconds(), timeToMerge(h, d), queueWait(h, d), stepDurations(h, d),
        rates(h, d), agentUse(h, d, now));
  }

  /** The days charted: the first one, how many, and the zone they are cut in. */
  private record Days(LocalDate first, int count, ZoneId zone) {
    /** Which day {@code t} falls on, or -1 outside the span. */
    int index(Instant t) {
      long i = ChronoUnit.DAYS.between(first, LocalDate.ofInstant(t, zone));
      return i < 0 || i >= count ? -1 : (int) i;
    }

    Instant start(int i) {
      return first.plusDays(i).atStartOfDay(zone).toInstant();
    }

    List<Long> startsInSeconds() {
      List<Long> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(start(i).getEpochSecond());
      }
      return out;
    }

    /** An empty bucket per day. */
    List<List<Double>> buckets() {
      List<List<Double>> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(new ArrayList<>());
      }
      return out;
    }
  }

  private static Chart timeToMerge(History h, Days d) {
    List<List<Double>> merged = d.buckets();
    for (PatchRecord p : h.patches()) {
      if (p.merged() && p.closed() != null && p.submitted() != null) {
        add(merged, d.index(p.closed()), seconds(p.submitted(), p.closed()));
      }
    }
    return new Chart("s", List.of(new Line("median", map(merged, TrendsCalculator::median)),
        new Line("90th percentile", map(merged, v -> percentile(v, 0.9)))));
  }

  private static Chart queueWait(History h, Days d) {
    Map<Long, Instant> created = new HashMap<>();
    for (CandidateRecord c : h.candidates()) {
      created.put(c.id(), c.created());
    }
    List<List<Double>> patches = d.buckets();
    for (PatchRecord p : h.patches()) {
      p.candidates().stream().map(created::get).filter(c -> c != null && p.submitted() != null)
          .min(Comparator.naturalOrder())
          .ifPresent(first -> add(patches, d.index(first), seconds(p.submitted(), first)));
    }
    List<List<Double>> runs = d.buckets();
    for (RunRecord r : h.runs()) {
      if (r.started() != null && r.created() != null) {
        add(runs, d.index(r.started()), seconds(r.created(), r.started()));
      }
    }
    return new Chart("s", List.of(new Line("patch waits for testing (median)", map(patches, TrendsCalculator::median)),
        new Line("run waits for an agent (median)", map(runs, TrendsCalculator::median))));
  }

  private static Chart stepDurations(History h, Days d) {
    Map<String, List<List<Double>>> byStep = new TreeMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RunRecord r : h.runs()) {
      if (finished(r) && r.started() != null) {
        int i = d.index(r.finished());
        if (i >= 0) {
          add(byStep.computeIfAbsent(r.step(), s -> d.buckets()), i, seconds(r.started(), r.finished()));
          counts.merge(r.step(), 1, Integer::sum);
        }
      }
    }
    List<Line> lines = byStep.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, List<List<Double>>> e) -> -counts.get(e.getKey()))
            .thenComparing(Map.Entry::getKey))
        .limit(MAX_STEPS)
        .map(e -> new Line(e.getKey(), map(e.getValue(), TrendsCalculator::mean)))
        .toList();
    return new Chart("s", lines);
  }

  private static Chart rates(History h, Days d) {
    int[] passed = new int[d.count()];
    int[] failed = new int[d.count()];
    int[] flaky = new int[d.count()];
    for (RunRecord r : h.runs()) {
      int i = finished(r) ? d.index(r.finished()) : -1;
      if (i < 0) {
        continue;
      }
      if ("PASSED".equals(r.outcome())) {
        passed[i]++;
        if (r.attempt() > 1) {
          flaky[i]++;
        }
      } else {
        failed[i]++;
      }
    }
    List<Double> failure = new ArrayList<>();
    List<Double> flakiness = new ArrayList<>();
    for (int i = 0; i < d.count(); i++) {
      failure.add(passed[i] + failed[i] == 0 ? null : round(100.0 * failed[i] / (passed[i] + failed[i])));
      flakiness.add(passed[i] == 0 ? null : round(100.0 * flaky[i] / passed[i]));
    }
    return new Chart("%", List.of(new Line("failed", failure), new Line("flaky (passed on a retry)", flakiness)));
  }

  /** Hours each agent ran steps, a run's time split over the days it spans; a run still going counts up to now. */
  private static Chart agentUse(History h, Days d, Instant now) {
    Map<String, double[]> hours = new TreeMap<>();
    Instant spanStart = d.start(0);
    Instant spanEnd = d.start(d.count());
    for (RunRecord r : h.runs()) {
      Instant end = r.finished() != null ? r.finished() : now;
      if (r.agent() == null || r.agent().isEmpty() || r.started() == null
          || !end.isAfter(spanStart) || !r.started().isBefore(spanEnd)) {
        continue;
      }
      double[] perDay = hours.computeIfAbsent(r.agent(), a -> new double[d.count()]);
      for (int i = Math.max(0, d.index(r.started())); i < d.count() && end.isAfter(d.start(i)); i++) {
        Instant from = max(r.started(), d.start(i));
        Instant to = min(end, d.start(i + 1));
        perDay[i] += Math.max(0, Duration.between(from, to).toMillis()) / 3_600_000.0;
      }
    }
    List<Line> lines = hours.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -Arrays.stream(e.getValue()).sum())
            .thenComparing(Map.Entry::getKey))
        .limit(MAX_AGENTS)
        .map(e -> new Line(e.getKey(), Arrays.stream(e.getValue()).mapToObj(TrendsCalculator::round).toList()))
        .toList();
    return new Chart("h", lines);
  }

  private static boolean finished(RunRecord r) {
    return r.finished() != null && ("PASSED".equals(r.outcome()) || "FAILED".equals(r.outcome()));
  }

  private static void add(List<List<Double>> buckets, int day, double value) {
    if (day >= 0) {
      buckets.get(day).add(value);
    }
  }

  private static List<Double> map(List<List<Double>> buckets, Function<List<Double>, Double> f) {
    return buckets.stream().map(b -> b.isEmpty() ? null : round(f.apply(b))).toList();
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis()) / 1000.0;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
  static double percentile(List<Double> values, double p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v[Math.max(0, (int) Math.ceil(p * v.length) - 1)];
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static Double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
