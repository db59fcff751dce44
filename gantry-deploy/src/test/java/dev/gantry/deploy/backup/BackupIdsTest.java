package dev.gantry.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupIdsTest {
  @Test
  void idsOfTheSameSecondStillSortByAge() {
    Instant t = Instant.parse("2026-11-26T09:35:53.100Z");
    for (int i = 0; i < 200; i++) {
      String older = BackupIds.next(t);
      String newer = BackupIds.next(t.plusMillis(1));
      assertThat(older).isLessThan(newer);
      assertThat(BackupIds.valid(older)).isTrue();
    }
  }

  @Test
  void idsToTheSecondAreStillValidAndJunkIsNot() {
    assertThat(BackupIds.valid("20261126T093553Z-6a94")).isTrue();
    assertThat(BackupIds.valid("../../etc")).isFalse();
    assertThat(BackupIds.valid("20261126T093553Z-6a94; rm -rf /")).isFalse();
  }
}
