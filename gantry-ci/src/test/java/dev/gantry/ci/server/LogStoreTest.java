package dev.gantry.ci.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreTest {
  @TempDir Path tmp;

  @Test
  void logsAreCappedFollowedCompressedAndCollected() throws Exception {
    LogStore logs = new LogStore(tmp, 20);
    List<String> seen = new ArrayList<>();
    Runnable stop = logs.follow(1, seen::add);
    logs.append(1, "0123456789\n");
    logs.append(1, "abcdefghijklmnop\n");
    logs.append(1, "dropped\n");
    assertThat(logs.read(1)).startsWith("0123456789\nabcdefghi").contains("[log truncated: more than 20 bytes]").doesNotContain("dropped");
    logs.finish(1);
    assertThat(seen).last().isEqualTo(LogStore.END);
    assertThat(Files.exists(tmp.resolve("1.log.gz"))).isTrue();
    assertThat(Files.exists(tmp.resolve("1.log"))).isFalse();
    assertThat(logs.read(1)).startsWith("0123456789");
    logs.append(1, "late\n");
    assertThat(logs.read(1)).doesNotContain("late");
    stop.run();

    logs.append(2, "in use\n");
    Files.setLastModifiedTime(tmp.resolve("1.log.gz"), FileTime.from(Instant.now().minus(Duration.ofDays(40))));
    Files.setLastModifiedTime(tmp.resolve("2.log"), FileTime.from(Instant.now().minus(Duration.ofDays(40))));
    assertThat(logs.collectGarbage(Instant.now(), Duration.ofDays(30), Set.of(2L))).isEqualTo(1);
    assertThat(logs.read(1)).isEmpty();
    assertThat(logs.read(2)).isEqualTo("in use\n");
  }

  @Test
  void numberedChunksKeepTheirOrderDropRetriesAndSayWhatWasLost() throws Exception {
    LogStore logs = new LogStore(tmp, 1 << 20);
    logs.append(7, 0, "one\n");
    logs.append(7, 1, "two\n");
    logs.append(7, 1, "two\n"); // sent again after a timeout that was not one
    logs.append(7, 4, "[gantry] exit 0\n");
    logs.append(7, 3, "late\n");

    assertThat(logs.read(7)).isEqualTo("one\ntwo\n[gantry] 2 part(s) of this log were lost on the way from the agent\n"
        + "[gantry] exit 0\n");
  }
}
