package dev.gantry.ci.stats;

import java.util.List;

/**
 * The CI's trends by day, as {@code GET /api/ci/stats/trends} serves them and the statistics
 * page charts them: every chart shares {@link #days} as its x values, and each line has one
 * value per day, {@code null} on a day without data.
 *
 * <pre>{@code
 * Trends t = TrendsCalculator.compute(history, clock.instant(), ZoneId.of("Europe/Berlin"), 30);
 * t.days();                      // start of each day, epoch seconds
 * t.timeToMerge().lines();       // "median", "90th percentile", in seconds
 * }</pre>
 *
 * @param zone the time zone the days are cut in
 * @param days the start of each day, in epoch seconds, oldest first, today last
 * @param timeToMerge time from push to merge of the patches merged that day, seconds
 * @param queueWait time a patch waited for its first candidate and a run for an agent, seconds
 * @param stepDurations mean duration of each step's finished runs, seconds
 * @param rates share of finished step runs that failed, and of passed ones that passed only on a retry, percent
 * @param agentUse hours each agent spent running steps
 */
public record Trends(String zone, List<Long> days, Chart timeToMerge, Chart queueWait, Chart stepDurations, Chart rates,
    Chart agentUse) {

  /** One chart: its lines share the unit. */
  public record Chart(String unit, List<Line> lines) {}

  /** A named series, one value per day ({@code null}: no data that day). */
  public record Line(String label, List<Double> values) {}
}
