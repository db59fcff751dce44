package dev.gantry.bench.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The resident memory and CPU time of a process, from {@code /proc/PID}; memory once or sampled every 100 ms. */
final class Rss {
  private Rss() {}

  static long mib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
      throw new IllegalStateException("no VmRSS for process " + pid);
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
    }
  }

  /** CPU time the process used so far (user and system), from {@code /proc/PID/stat}, in seconds. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 1/100 s
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
    }
  }

  /** CPU seconds by thread name (digits dropped, so pools add up), from {@code /proc/PID/task}. */
  static java.util.Map<String, Double> threadCpuSeconds(long pid) {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
        } catch (IOException gone) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
    }
    return out;
  }

  static Sampler sample(long pid) {
    return new Sampler(pid);
  }

  /** Samples until closed and keeps the highest value. */
  static final class Sampler implements AutoCloseable {
    private final AtomicLong max = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private Sampler(long pid) {
      thread = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
        while (running) {
          max.accumulateAndGet(mib(pid), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    long maxMib() {
      return max.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
