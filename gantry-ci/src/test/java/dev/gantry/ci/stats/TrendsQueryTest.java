package dev.gantry.ci.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TrendsQueryTest {
  @Test
  void defaultsToThirtyDaysInUtc() {
    assertThat(TrendsQuery.parse(null, null)).isEqualTo(new TrendsQuery(30, ZoneOffset.UTC));
    assertThat(TrendsQuery.parse("", " ")).isEqualTo(new TrendsQuery(30, ZoneOffset.UTC));
    assertThat(TrendsQuery.parse("7", "Europe/Berlin")).isEqualTo(new TrendsQuery(7, ZoneId.of("Europe/Berlin")));
    assertThat(TrendsQuery.parse("366", "+05:30").zone()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
  }

  @Test
  void aBadNumberOfDaysSaysWhatIsExpected() {
    for (String bad : new String[] {"0", "367", "-3", "lots", "1e3", "99999999999", "7.5"}) {
      assertThatThrownBy(() -> TrendsQuery.parse(bad, null)).as(bad).isInstanceOf(UserError.class)
          .hasMessage("days: give a whole number from 1 to 366, got '" + bad + "'");
    }
  }

  @Test
  void anUnknownTimeZoneSaysWhatIsExpected() {
    assertThatThrownBy(() -> TrendsQuery.parse(null, "Mars/Olympus")).isInstanceOf(UserError.class)
        .hasMessage("tz: 'Mars/Olympus' is not a time zone; give a name such as Europe/Berlin or UTC");
    assertThatThrownBy(() -> TrendsQuery.parse(null, "x".repeat(500))).isInstanceOf(UserError.class)
        .hasMessageContaining("...' is not a time zone");
  }
}
