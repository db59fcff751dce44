package dev.gantry.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  final DurationConverter c = new DurationConverter();

  @Test
  void readsWhatPeopleWriteAndBareSeconds() {
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("180")).isEqualTo(Duration.ofMinutes(3));
    assertThat(c.convert("0")).isZero();
    assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aBadValueSaysWhatIsExpected() {
    assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'soon' is not a duration: a duration like 500ms, 30s, 5m, 2h, 1d or 1h30m; a bare number is seconds");
    assertThatThrownBy(() -> c.convert("PT-5S")).hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> c.convert("99999999999999999")).hasMessageStartingWith("'99999999999999999' is not a duration");
  }

  @Test
  void aBadFlagIsAUsageErrorNamingTheFlag() {
    @CommandLine.Command(name = "t")
    class T implements Runnable {
      @CommandLine.Option(names = "--wait", converter = DurationConverter.class) Duration wait;

      @Override
      public void run() {}
    }
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cmd = new CommandLine(new T()).setErr(new java.io.PrintWriter(err));
    assertThat(cmd.execute("--wait", "later")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid value for option '--wait': 'later' is not a duration");
  }
}
