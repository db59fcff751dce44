package dev.gantry.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.process.Command;
import dev.gantry.core.process.RunningProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCrashTest {

  @TempDir Path tmp;

  @Test
  void everyCommittedTransactionSurvivesAKill9() {
    Path db = tmp.resolve("data/gantry.db");
    AtomicInteger acknowledged = new AtomicInteger();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    RunningProcess writer = Command.of(java, "-cp", System.getProperty("java.class.path"),
            StoreCrashWriter.class.getName(), db.toString())
        .onStdout(line -> {
          if (line.matches("\\d+")) {
            acknowledged.set(Integer.parseInt(line));
          }
        })
        .timeout(Duration.ofSeconds(60))
        .start();
    // kill while it is writing, not before it started
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 200 || !writer.isAlive());
    ProcessHandle.of(writer.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hooks, no close
    var result = writer.await();
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(128 + 9);
    int acked = acknowledged.get();

    try (Store store = Store.open(db)) {
      assertThat(store.migrate("storetest", "classpath:db/storetest")).isZero();
      List<String> items = store.query("select name from item order by id", rs -> rs.getString(1));
      // everything acknowledged is there; at most the one transaction in flight may also be
      assertThat(items.size()).isBetween(acked, acked + 1);
      for (int i = 0; i < acked; i++) {
        assertThat(items.get(i)).isEqualTo("item-" + (i + 1));
      }
      // transactions are all-or-nothing: every item has its part
      assertThat(store.queryOne("select count(*) from part", rs -> rs.getInt(1))).contains(items.size());
      store.update("insert into item(name) values ('after restart')");
    }
  }
}
