package dev.gantry.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileSelectionTest {
  private static final double[] QUANTILES = {0, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1};

  private static void agreesWithTheSort(double[] values) {
    for (double p : QUANTILES) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double expected = Folds.quantileOfSorted(sorted, p);
      // a longer array than the sample, as the reservoir's: only the first n count
      double[] work = Arrays.copyOf(values, values.length + 5);
      Arrays.fill(work, values.length, work.length, -1e300);
      assertThat(Folds.quantileSelecting(work, values.length, p)).as("p=%s of %s", p, Arrays.toString(values))
          .isEqualTo(expected);
    }
  }

  @Test
  void givesTheNearestRankQuantileOfTheSortForRandomDuplicateAndOrderedInput() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + rnd.nextInt(round < 1000 ? 20 : 3000);
      double[] values = new double[n];
      int kind = round % 5;
      for (int i = 0; i < n; i++) {
        values[i] = switch (kind) {
          case 0 -> rnd.nextDouble() * 1000;
          case 1 -> rnd.nextInt(3); // many equal values
          case 2 -> i; // ascending
          case 3 -> n - i; // descending
          default -> i % 2 == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        };
      }
      agreesWithTheSort(values);
    }
  }

  @Test
  void anEmptyWindowHasNoQuantile() {
    assertThat(Folds.quantileSelecting(new double[10], 0, 0.99)).isNaN();
  }

  @Test
  void oneValueIsEveryQuantile() {
    agreesWithTheSort(new double[] {42});
  }
}
