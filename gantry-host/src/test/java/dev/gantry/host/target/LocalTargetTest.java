package dev.gantry.host.target;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands of the local target. */
class LocalTargetTest {
  @Test
  void runsCommandsWithStdinAndReportsExitCodes() {
    CommandResult r = new LocalTarget().run(List.of("cat"), "piped".getBytes(UTF_8));
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEqualTo("piped");
    assertThat(new LocalTarget().run("sh", "-c", "echo oops >&2; exit 3").errorTail()).isEqualTo("oops");
    assertThat(new LocalTarget().run("/no/such/binary").exitCode()).isEqualTo(127);
  }
}

