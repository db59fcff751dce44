package dev.gantry.bench.monitor;

import dev.gantry.monitor.MonitorService;
import dev.gantry.monitor.MonitorSettings;
import dev.gantry.monitor.client.proto.MsgCodec;
import dev.gantry.monitor.index.Index;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load generator for the monitor, in one JVM with the server (loopback TCP):
 * <ol>
 *   <li>throughput: pipelined 100-event batches on several connections, through the
 *       built-in rules, acknowledged events per second;</li>
 *   <li>acknowledgement latency at a fixed rate (open loop: measured from when each batch
 *       was due, so a stall counts fully);</li>
 *   <li>memory per indexed event, after a full GC.</li>
 * </ol>
 * Writes {@code monitor-<time>.md} and {@code .json} to the folder named by the
 * {@code bench.results} system property ({@code bench/results} by default).
 *
 * <pre>
 * bench/monitor/run.sh [seconds] [rate]
 * </pre>
 */
public final class MonitorBench {
  private MonitorBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--external")) {
      external(args);
      return;
    }
    if (args.length > 0 && args[0].equals("--cpu")) {
      cpu(args);
      return;
    }
    if (args.length > 0 && args[0].equals("--flood")) {
      flood(args);
      return;
    }
    if (args.length > 0 && args[0].equals("--memory")) {
      Map<String, Object> results = header();
      results.putAll(memoryPerEvent(500_000));
      write("monitor-memory", results);
      return;
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Map<String, Object> results = header();
    results.put("server", "in the load generator's JVM (bench/monitor/run.sh)");
    results.putAll(memoryPerEvent(500_000));
    Path data = Files.createTempDirectory("gantry-bench-monitor");
    try (MonitorService monitor = MonitorService.start(MonitorSettings.defaults().withTcpPort(0).withUdpPort(-1)
        .withMaxQueuedEvents(2_000_000), data)) {
      List<byte[]> frames = Workload.frames(2000, 42);
      throughput(monitor.tcpPort(), frames, 3, true, null);
      results.putAll(throughput(monitor.tcpPort(), frames, seconds, false, null));
      results.putAll(latencyRuns(monitor.tcpPort(), -1, frames, rate, seconds, 3));
      results.put("indexed_events_after", monitor.engine().call(c -> c.index().size()).get());
    }
    results.put("load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    write("monitor", results);
  }

  /**
   * Against a running server ({@code gantry up}, started by {@code bench/monitor/up.sh}):
   * latency runs, full-speed throughput, a flood with the server's RSS sampled, then a
   * minute idle with its RSS sampled. Args: {@code --external PORT PID SECONDS RATE FLOOD_SECONDS [FLOOR_PORT]},
   * the last the port of an {@link EchoServer} measured beside each latency run.
   */
  static void external(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    long pid = Long.parseLong(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int rate = Integer.parseInt(args[4]);
    int flood = Integer.parseInt(args[5]);
    int floorPort = args.length > 6 ? Integer.parseInt(args[6]) : -1;
    Map<String, Object> results = header();
    results.put("server", "gantry up, pid " + pid + ", its JVM options: " + ProcessHandle.of(pid)
        .flatMap(h -> h.info().arguments()).map(a -> String.join(" ", Arrays.stream(a)
            .takeWhile(x -> !x.equals("-jar")).toList())).orElse("?"));
    results.put("server_rss_mib_start", Rss.mib(pid));
    List<byte[]> frames = Workload.frames(2000, 42);
    throughput(port, frames, 5, true, null);
    results.putAll(latencyRuns(port, floorPort, frames, rate, seconds, 3));
    results.putAll(serverStreamLatency(port));
    results.putAll(throughput(port, frames, seconds, false, null));
    try (Rss.Sampler during = Rss.sample(pid)) {
      double cpuBefore = Rss.cpuSeconds(pid);
      Map<String, Object> f = throughput(port, frames, flood, false, null);
      double cpu = Rss.cpuSeconds(pid) - cpuBefore;
      // the server's CPU per event does not depend much on what else the machine runs
      results.put("flood_server_cpu_seconds", cpu);
      results.put("flood_server_cpu_microseconds_per_event", Math.round(microsPerEvent(cpu, f, flood) * 100) / 100.0);
      results.put("flood_seconds", flood);
      results.put("flood_events_per_second", f.get("throughput_events_per_second"));
      results.put("flood_refused_batches", f.get("throughput_refused_batches"));
      results.put("flood_server_rss_mib_max", during.maxMib());
    }
    results.put("server_rss_mib_flood_end", Rss.mib(pid));
    List<Long> idle = new ArrayList<>();
    long firstBelow400 = -1;
    for (int s = 1; s <= 60; s++) {
      Thread.sleep(1000);
      long mib = Rss.mib(pid);
      if (s % 10 == 0) {
        idle.add(mib);
      }
      if (firstBelow400 < 0 && mib < 400) {
        firstBelow400 = s;
      }
    }
    results.put("idle_server_rss_mib_every_10s", idle.toString());
    results.put("idle_seconds_until_rss_below_400_mib", firstBelow400 < 0 ? "not within 60 s" : firstBelow400);
    results.put("load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    write("monitor-up", results);
  }

  /**
   * The server's CPU per event at a steady rate, in all and by thread: a figure that depends
   * little on what else the machine runs, to compare two builds on a busy machine. Args:
   * {@code --cpu PORT PID SECONDS RATE}; prints, writes nothing.
   */
  static void cpu(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    long pid = Long.parseLong(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int rate = Integer.parseInt(args[4]);
    List<byte[]> frames = Workload.frames(2000, 42);
    latency(port, frames, rate, WARM_UP_SECONDS, null);
    Map<String, Double> before = Rss.threadCpuSeconds(pid);
    latency(port, frames, rate, seconds, "latency_");
    Map<String, Double> after = Rss.threadCpuSeconds(pid);
    double events = (double) rate * seconds;
    double total = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      total += d;
      if (d > 0.05) {
        System.out.printf("cpu %-28s %7.2f s %7.3f us/event%n", e.getKey(), d, d * 1e6 / events);
      }
    }
    System.out.printf("cpu %-28s %7.2f s %7.3f us/event%n", "TOTAL", total, total * 1e6 / events);
  }

  /**
   * Full-speed throughput against a running server and the server's CPU per event meanwhile,
   * after 5 s of warm-up: two builds compared quickly. Args: {@code --flood PORT PID SECONDS};
   * prints, writes nothing.
   */
  static void flood(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    long pid = Long.parseLong(args[2]);
    int seconds = Integer.parseInt(args[3]);
    List<byte[]> frames = Workload.frames(2000, 42);
    throughput(port, frames, 5, true, null);
    double cpuBefore = Rss.cpuSeconds(pid);
    Map<String, Object> f = throughput(port, frames, seconds, false, null);
    double cpu = Rss.cpuSeconds(pid) - cpuBefore;
    System.out.printf(Locale.ROOT, "server cpu %.2f us/event%n", microsPerEvent(cpu, f, seconds));
  }

  /** Server CPU seconds over a {@link #throughput} run of {@code seconds}, per event it acknowledged. */
  private static double microsPerEvent(double cpuSeconds, Map<String, Object> throughput, int seconds) {
    return cpuSeconds * 1e6 / ((Long) throughput.get("throughput_events_per_second") * (double) seconds);
  }

  /**
   * The server's own view (its {@code gantry monitor stream latency} events, over about the
   * last minute): from a batch queued for the engine to its events through the rules. Beside
   * the end-to-end figures it tells the server's work from the waits around it (network,
   * scheduling on shared cores, collector pauses).
   */
  static Map<String, Object> serverStreamLatency(int port) throws Exception {
    Thread.sleep(11_000); // the monitor reports its figures every 10 s
    Map<String, Object> r = new LinkedHashMap<>();
    try (dev.gantry.monitor.client.TcpClient c = dev.gantry.monitor.client.TcpClient.connect("127.0.0.1", port)) {
      for (var e : c.query("service =~ \"gantry monitor stream latency %\"")) {
        r.put("server_" + e.service().replace("gantry monitor ", "").replace(' ', '_').replace('.', '_') + "_ms",
            Math.round(e.metricValue() * 1000) / 1000.0);
      }
    }
    System.out.println("server's stream latency: " + r);
    return r;
  }

  private static Map<String, Object> header() {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    results.put("command", System.getProperty("bench.command", "?"));
    results.put("load_average_before", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return results;
  }

  /** Events acknowledged per second with 4 connections, 64 batches in flight each. */
  static Map<String, Object> throughput(int port, List<byte[]> frames, int seconds, boolean warmup, Map<String, Object> into)
      throws Exception {
    int connections = 4;
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      conns.add(new Connection(port, 64));
    }
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Connection c = conns.get(i);
      int offset = i * 500;
      writers.add(Thread.ofPlatform().start(() -> {
        int f = offset;
        try {
          while (System.nanoTime() < end) {
            c.send(frames.get(f++ % frames.size()), (f & 7) == 0);
          }
          c.flush();
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    long start = System.nanoTime();
    for (Thread t : writers) {
      t.join();
    }
    Thread.sleep(500);
    double elapsed = (System.nanoTime() - start) / 1e9 - 0.5;
    long acked = conns.stream().mapToLong(Connection::acked).sum();
    long failed = conns.stream().mapToLong(Connection::failed).sum();
    for (Connection c : conns) {
      c.close();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    if (!warmup) {
      r.put("throughput_seconds", seconds);
      r.put("throughput_connections", connections);
      r.put("throughput_batches_in_flight_per_connection", 64);
      r.put("throughput_events_per_second", Math.round(acked * Workload.BATCH / elapsed));
      r.put("throughput_refused_batches", failed);
      System.out.printf(Locale.ROOT, "throughput: %,d events/s (%d batches refused)%n",
          Math.round(acked * Workload.BATCH / elapsed), failed);
    }
    return r;
  }

  /**
   * {@code runs} latency runs, each reported on its own, after one unreported warm-up run of
   * {@link #WARM_UP_SECONDS}; with a {@code floorPort} (an {@link EchoServer}; -1 for none) each run is paired with
   * one against it, the order alternated so neither always goes first.
   */
  static Map<String, Object> latencyRuns(int port, int floorPort, List<byte[]> frames, int rate, int seconds, int runs)
      throws Exception {
    latency(port, frames, rate, WARM_UP_SECONDS, null);
    if (floorPort > 0) {
      latency(floorPort, frames, rate, WARM_UP_SECONDS, null);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("latency_rate_events_per_second", rate);
    r.put("latency_connections", CONNECTIONS);
    r.put("latency_seconds_per_run", seconds);
    r.put("latency_warm_up_seconds", WARM_UP_SECONDS);
    if (floorPort > 0) {
      r.put("floor", "an echo server answering each frame at once (EchoServer, its own JVM), same generator, same run");
    }
    for (int run = 1; run <= runs; run++) {
      if (floorPort > 0 && run % 2 == 0) {
        r.putAll(latency(floorPort, frames, rate, seconds, "floor_run" + run + "_"));
      }
      r.putAll(latency(port, frames, rate, seconds, "latency_run" + run + "_"));
      if (floorPort > 0 && run % 2 == 1) {
        r.putAll(latency(floorPort, frames, rate, seconds, "floor_run" + run + "_"));
      }
    }
    return r;
  }

  private static final int CONNECTIONS = 4;

  /**
   * Unmeasured seconds at the rate before latency is measured. A fresh JVM's compiler is
   * still at work 5 s in (its threads took 0.74 s of CPU in the next 15 s, 18 % of the
   * server's, then 0.07–0.28 s); a monitor runs for days, and its steady state is the figure.
   */
  static final int WARM_UP_SECONDS = 20;

  /**
   * Acknowledgement latency at a fixed event rate over 4 connections, open loop (see
   * {@link OpenLoop}): each batch has a due time on a fixed schedule and its latency counts
   * from then, not from when it actually left, so a stall of the server (or of the sender)
   * counts in full for every batch it delayed (no coordinated omission).
   */
  static Map<String, Object> latency(int port, List<byte[]> frames, int eventsPerSecond, int seconds, String prefix)
      throws Exception {
    OpenLoop.Result result = OpenLoop.run(port, frames, CONNECTIONS, eventsPerSecond / Workload.BATCH, seconds);
    long[] sorted = result.latencyNanos();
    int count = sorted.length;
    Arrays.sort(sorted);
    if (count == 0) {
      throw new IllegalStateException("no batch answered by the server on port " + port);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    if (prefix == null) {
      return r;
    }
    String p = prefix;
    r.put(p + "batches", count);
    r.put(p + "refused", result.failed());
    // a batch never answered would otherwise flatter the figures
    r.put(p + "unanswered", result.sent() - count);
    for (double q : new double[] {0.5, 0.99, 0.999}) {
      double ms = sorted[(int) Math.min(count - 1, Math.ceil(q * count) - 1)] / 1e6;
      r.put(p + "p" + trim(q * 100) + "_ms", Math.round(ms * 1000) / 1000.0);
    }
    r.put(p + "max_ms", Math.round(sorted[count - 1] / 1e3) / 1000.0);
    System.out.printf(Locale.ROOT, "%s at %,d events/s: p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms%n",
        p.substring(0, p.length() - 1), eventsPerSecond, r.get(p + "p50_ms"), r.get(p + "p99_ms"), r.get(p + "p99_9_ms"), r.get(p + "max_ms"));
    return r;
  }

  /** Heap per indexed event: events decoded from the wire as the server does, then indexed. */
  static Map<String, Object> memoryPerEvent(int count) {
    Index index = new Index(60);
    long before = usedAfterGc();
    for (int start = 0; start < count; start += 1000) {
      byte[] frame = Workload.distinctFrame(start, 1000);
      MsgCodec.decode(frame, 0, frame.length, 0).events().forEach(index::put);
    }
    long after = usedAfterGc();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("memory_indexed_events", index.size());
    r.put("memory_bytes_per_indexed_event", (after - before) / index.size());
    System.out.printf(Locale.ROOT, "memory: %d bytes per indexed event (%,d events)%n", (after - before) / index.size(), index.size());
    return r;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static String trim(double d) {
    String s = Double.toString(d);
    return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s).replace('.', '_');
  }

  private static void write(String name, Map<String, Object> results) throws IOException {
    Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
    StringBuilder json = new StringBuilder("{\n");
    StringBuilder md = new StringBuilder("# Monitor benchmark " + stamp + "\n\n"
        + "Loopback TCP, 100-event batches through the built-in rules; latency from each batch's intended send time, after " + WARM_UP_SECONDS + " s at the rate unmeasured.\n"
        + "The machine (2 cores) is shared with other work: read the load averages beside the numbers.\n\n"
        + "| measure | value |\n|---|---|\n");
    int i = 0;
    for (Map.Entry<String, Object> e : results.entrySet()) {
      Object v = e.getValue();
      json.append("  \"").append(e.getKey()).append("\": ").append(v instanceof String ? "\"" + v + "\"" : v)
          .append(++i < results.size() ? ",\n" : "\n");
      md.append("| ").append(e.getKey()).append(" | ").append(v).append(" |\n");
    }
    json.append("}\n");
    Files.writeString(dir.resolve(name + "-" + stamp + ".json"), json);
    Files.writeString(dir.resolve(name + "-" + stamp + ".md"), md);
    System.out.println("results in " + dir.resolve(name + "-" + stamp + ".md"));
  }
}
