package dev.gantry.cloud.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lab hosts made from two data directories at once still get two numbers: the machine's lock is taken first. */
class LabStoreLockTest {
  @Test
  void aStoreOfAnotherDataDirectoryWaitsForTheMachinesLock(@TempDir Path a, @TempDir Path b) throws Exception {
    LabStore first = new LabStore(a);
    LabStore second = new LabStore(b);
    CompletableFuture<Void> waiting;
    try (AutoCloseable held = first.lock()) {
      waiting = CompletableFuture.runAsync(() -> {
        try (AutoCloseable l = second.lock()) {
          // got it
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        waiting.get(500, TimeUnit.MILLISECONDS);
        throw new AssertionError("the second data directory's lock was taken while the first held the machine's");
      } catch (TimeoutException expected) {
        // still waiting, as it should
      }
    }
    waiting.get(10, TimeUnit.SECONDS);
    assertThat(LabStore.MACHINE_LOCK).exists();
  }
}
