package dev.gantry.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.testing.Processes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProcessTreeKillTest {

  /**
   * A shell with a child, a grandchild, a child that re-parented to init (its subshell exited)
   * and one that ignores TERM; each prints its pid, then the shell sleeps.
   */
  private static final String TREE = """
      sleep 301 & echo $!
      sh -c 'sleep 302 & echo $!; wait' &
      (sleep 303 & echo $!)
      sh -c 'trap "" TERM; echo $$; while true; do sleep 1; done' &
      sleep 300
      """;

  @Test
  void timeoutKillsTheWholeTree() {
    List<Long> pids = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    ProcessResult r = Command.shell(TREE)
        .onStdout(line -> pids.add(Long.parseLong(line.strip())))
        .timeout(Duration.ofSeconds(1))
        .killGrace(Duration.ofMillis(500))
        .run();

    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(pids).hasSize(4);
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pids).noneMatch(Processes::running));
    // the tree sleeps for 300 s: a run that waited for it instead of killing it would take that long
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(120));
  }

  @Test
  void cancelKillsTheWholeTree() {
    List<Long> pids = new CopyOnWriteArrayList<>();
    RunningProcess p = Command.shell(TREE)
        .onStdout(line -> pids.add(Long.parseLong(line.strip())))
        .killGrace(Duration.ofMillis(500))
        .start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pids.size() == 4);
    assertThat(pids).allMatch(Processes::running);

    p.cancel();
    ProcessResult r = p.await();

    assertThat(r.timedOut()).isFalse();
    assertThat(r.exitCode()).isNotZero();
    assertThat(Processes.running(p.pid())).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pids).noneMatch(Processes::running));
  }

  @Test
  void aProcessThatExitsOnTermIsNotWaitedForLonger() {
    long start = System.nanoTime();
    ProcessResult r = Command.of("sleep", "600").timeout(Duration.ofMillis(200)).killGrace(Duration.ofMinutes(5)).run();
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exitCode()).isEqualTo(128 + 15);
    // waiting out the grace period would take 5 minutes; a busy machine needs seconds at most
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(2));
  }
}
