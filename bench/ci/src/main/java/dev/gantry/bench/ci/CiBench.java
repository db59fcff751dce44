package dev.gantry.bench.ci;

import static dev.gantry.bench.ci.Git.git;

import dev.gantry.ci.api.AgentHello;
import dev.gantry.ci.api.AgentPaths;
import dev.gantry.ci.api.JobOffer;
import dev.gantry.ci.api.Json;
import dev.gantry.ci.api.PrepareReport;
import dev.gantry.ci.api.RunResult;
import dev.gantry.ci.cli.AgentCommand;
import dev.gantry.ci.hook.HookInstaller;
import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.server.CiConfig;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two measurements of the CI server on this machine:
 * <ol>
 *   <li>latency from {@code git push} to the first step starting on an idle agent (real hook,
 *       real agent JVM, real pipeline compilation);</li>
 *   <li>scheduling overhead per job with 20 agents and 200 queued patches (agents that do no
 *       work, so what is measured is the server: queue engine, SQLite, JGit, HTTP).</li>
 * </ol>
 * {@code java -cp ... dev.gantry.bench.ci.CiBench <results dir>}
 */
public final class CiBench {
  static final String HOOK_SECRET = "bench-hook-secret-0123456789";
  static final String AGENT_TOKEN = "bench-agent-token-0123456789";
  static final String PIPELINE = """
      import dev.gantry.ci.pipeline.PipelineBuilder;
      import dev.gantry.ci.pipeline.PipelineDefinition;

      public class Pipeline implements PipelineDefinition {
        public void define(PipelineBuilder p) {
          var compile = p.step("compile").run("echo compiling");
          p.step("test").after(compile).run("echo testing");
        }
      }
      """;

  static final String READING = """
      ## Reading the numbers

      The queue's own cost per run is the wait of a ready run for an idle agent plus the agent's result report: a few
      milliseconds to some tens at the 99th percentile, most of it HTTP and the SQLite commit of the event (written with
      `synchronous=FULL` before anything else sees it). The cost that matters is per candidate: building it in the JGit
      mirror and publishing it, then fast-forwarding master and writing the notes, about 0.2 s together here. Batching
      spreads that over the patches of a candidate, which is why 200 patches take about 30 ms each in batches of 8 and
      about 270 ms each one by one. Runs are handed out one candidate at a time, so with 5 steps per candidate at most
      5 of the 20 agents are busy at once; more agents help only when pipelines have more parallel steps.
      """;

  private CiBench() {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
    Files.createDirectories(results);
    Path root = Files.createTempDirectory("gantry-ci-bench");
    StringBuilder report = new StringBuilder("# CI benchmarks\n\n");
    report.append("Run on ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ").append(Runtime.version()).append(", load average at start ").append(loadAverage())
        .append(" (the machine is shared with other builds). Everything on loopback on one machine.\n\n");
    report.append(pushToFirstStep(root.resolve("latency"), 10));
    report.append(scheduling(root.resolve("sched-batch"), 200, 20, 8));
    report.append(scheduling(root.resolve("sched-single"), 200, 20, 1));
    report.append(READING);
    Path out = results.resolve("ci-bench.md");
    Files.writeString(out, report.toString());
    System.out.println(report);
    System.out.println("written to " + out.toAbsolutePath());
    System.exit(0);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  // ---- 1. push to first step ---------------------------------------------------------------

  static String pushToFirstStep(Path root, int pushes) throws Exception {
    Files.createDirectories(root);
    Path[] repos = Git.centralAndClone(root, "README", "bench\n", ".gantry/Pipeline.java", PIPELINE);
    Path central = repos[0];
    Path dev = repos[1];
    try (Store store = Store.open(root.resolve("gantry.db"))) {
      int port;
      try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      CiSettings settings = CiSettings.defaults(central.toString(), "http://127.0.0.1:" + port, HOOK_SECRET, AGENT_TOKEN)
          .withTimings(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ZERO);
      CiService ci = CiService.start(settings, root.resolve("ci"), store, List.of());
      BenchWeb web = BenchWeb.startOn(ci, port);
      new HookInstaller().install(central, URI.create(web.url()), HOOK_SECRET, true);
      String java = ProcessHandle.current().info().command().orElseThrow();
      Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AgentCommand.class.getName(),
          "--server", web.url(), "--token", AGENT_TOKEN, "--name", "idle-agent", "--work", root.resolve("agent").toString())
          .redirectErrorStream(true).redirectOutput(root.resolve("agent.out").toFile()).start();
      List<long[]> samples = new ArrayList<>();
      try {
        for (int i = 0; i < pushes + 2; i++) {
          waitIdle(ci, Duration.ofSeconds(60));
          Thread.sleep(300); // the agent is back to long-polling
          git(dev, "checkout", "-q", "-B", "review/p" + i, "origin/master");
          Files.writeString(dev.resolve("file" + i + ".txt"), "change " + i + "\n");
          git(dev, "add", "-A");
          git(dev, "commit", "-q", "-m", "change " + i);
          Instant t0 = Instant.now();
          git(dev, "push", "-q", "origin", "HEAD:refs/heads/review/p" + i);
          Instant pushed = Instant.now();
          String sha = git(dev, "rev-parse", "HEAD");
          Instant[] marks = awaitFirstStep(ci, sha, Duration.ofSeconds(60));
          git(dev, "fetch", "-q", "origin");
          if (i >= 2) { // the first two warm the JVMs up
            samples.add(new long[] {ms(t0, pushed), ms(t0, marks[0]), ms(t0, marks[1]), ms(t0, marks[2]), ms(t0, marks[3])});
          }
        }
      } finally {
        agent.descendants().forEach(ProcessHandle::destroyForcibly);
        agent.destroyForcibly();
        web.close();
        ci.close();
      }
      StringBuilder b = new StringBuilder("## Time from `git push` to the first step starting on an idle agent\n\n");
      b.append("A clone pushes a new `review/*` branch to a bare repository whose real `post-receive` hook (curl + openssl HMAC) ")
          .append("calls the server; the server builds the candidate in its JGit mirror and publishes it; an idle agent JVM, ")
          .append("long-polling, takes the prepare run, fetches the candidate, compiles `.gantry/Pipeline.java` with javax.tools ")
          .append("and reports two steps; the first step is then handed to it. ").append(pushes)
          .append(" pushes after two warm-up pushes; times in ms from the start of `git push`.\n\n");
      b.append("| stage | median | max |\n|---|---|---|\n");
      String[] names = {"`git push` returned (hook ran)", "patch queued", "prepare handed to the agent", "step graph reported", "first step started"};
      for (int k = 0; k < names.length; k++) {
        int col = k;
        List<Long> v = samples.stream().map(s -> s[col]).sorted().toList();
        b.append("| ").append(names[k]).append(" | ").append(v.get(v.size() / 2)).append(" | ").append(v.get(v.size() - 1)).append(" |\n");
      }
      b.append("\nThe pipeline is compiled once per content (gantry-core's definition cache), so after the first push the prepare run is ")
          .append("mostly the agent's `git fetch`, `git clone --shared` and `git checkout` of the candidate.\n\n");
      return b.toString();
    }
  }

  private static long ms(Instant a, Instant b) {
    return b == null ? -1 : Duration.between(a, b).toMillis();
  }

  private static void waitIdle(CiService ci, Duration limit) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (ci.state().active() != null || !ci.state().live().isEmpty()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("the queue did not empty");
      }
      Thread.sleep(20);
    }
  }

  /** Queued, prepare assigned, prepare finished, first step assigned. */
  private static Instant[] awaitFirstStep(CiService ci, String sha, Duration limit) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (Instant.now().isBefore(end)) {
      Patch p = ci.state().patches().values().stream().filter(x -> x.commit().equals(sha)).findFirst().orElse(null);
      if (p != null && !p.candidates().isEmpty()) {
        List<CiDatabase.RunRow> runs = ci.database().runsOf(p.candidates().get(0));
        CiDatabase.RunRow prep = runs.stream().filter(r -> r.step().equals("prepare")).findFirst().orElse(null);
        CiDatabase.RunRow first = runs.stream().filter(r -> !r.step().equals("prepare") && r.started() != null).findFirst().orElse(null);
        if (prep != null && first != null) {
          return new Instant[] {p.submitted(), prep.started(), prep.finished(), first.started()};
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no step started for " + sha);
  }

  // ---- 2. scheduling overhead --------------------------------------------------------------

  static String scheduling(Path root, int patches, int agents, int maxBatch) throws Exception {
    Files.createDirectories(root);
    Path[] repos = Git.centralAndClone(root, "README", "bench\n");
    Path central = repos[0];
    Path dev = repos[1];
    for (int i = 0; i < patches; i++) {
      git(dev, "checkout", "-q", "-B", "review/p" + i, "origin/master");
      Files.writeString(dev.resolve("f" + i + ".txt"), "p" + i + "\n");
      git(dev, "add", "-A");
      git(dev, "commit", "-q", "-m", "patch " + i);
    }
    git(dev, "push", "-q", "origin", "--all");
    StepGraph graph = StepGraph.of(List.of(StepSpec.shell("a", "true"), StepSpec.shell("b", "true"), StepSpec.shell("c", "true"),
        StepSpec.shell("d", "true"), StepSpec.shell("e", "true")));
    try (Store store = Store.open(root.resolve("gantry.db"))) {
      CiSettings settings = new CiSettings(central.toString(), "http://127.0.0.1", HOOK_SECRET, AGENT_TOKEN, maxBatch,
          Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, 1 << 20, Duration.ofDays(1),
          CiConfig.UNSCHEDULABLE_TIMEOUT.defaultValue());
      CiService ci = CiService.start(settings, root.resolve("ci"), store, List.of());
      BenchWeb web = BenchWeb.startOn(ci, 0);
      ci.pause("loading");
      ci.poll(); // queues every review branch, as a poll of a repository without hook does
      int queued = ci.state().live().size();
      HttpClient http = HttpClient.newHttpClient();
      ConcurrentLinkedQueue<Long> pollLatency = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> reportLatency = new ConcurrentLinkedQueue<>();
      AtomicLong jobs = new AtomicLong();
      AtomicBoolean done = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        String name = "null-agent-" + a;
        Thread t = Thread.ofPlatform().daemon().start(() -> {
          while (!done.get()) {
            try {
              long t0 = System.nanoTime();
              HttpResponse<String> r = post(http, web.url() + AgentPaths.POLL, name,
                  Json.write(new AgentHello(name, List.of("linux"), 1, List.of())));
              long t1 = System.nanoTime();
              if (r.statusCode() != 200) {
                continue;
              }
              pollLatency.add(t1 - t0);
              JobOffer o = Json.read(r.body(), JobOffer.class);
              long t2 = System.nanoTime();
              if (o.prepare()) {
                post(http, web.url() + AgentPaths.prepared(o.run()), name, Json.write(new PrepareReport(graph, null)));
              } else {
                post(http, web.url() + AgentPaths.finished(o.run()), name, Json.write(new RunResult(true, 0, "exit 0")));
              }
              reportLatency.add(System.nanoTime() - t2);
              jobs.incrementAndGet();
            } catch (Exception e) {
              if (!done.get()) {
                System.err.println(name + ": " + e);
              }
            }
          }
        });
        threads.add(t);
      }
      Thread.sleep(500);
      Instant start = Instant.now();
      ci.resume();
      Instant end = Instant.now().plus(Duration.ofMinutes(15));
      while (ci.state().patches().values().stream().filter(p -> p.state() == PatchState.MERGED).count() < queued) {
        if (Instant.now().isAfter(end)) {
          throw new IllegalStateException("not all patches merged in 15 minutes");
        }
        Thread.sleep(20);
      }
      Duration wall = Duration.between(start, Instant.now());
      done.set(true);
      // per run: how long a ready run waited before an idle agent had it (runs are ready when created)
      List<Long> handout = new ArrayList<>();
      List<Long> build = new ArrayList<>();
      List<Long> merge = new ArrayList<>();
      List<CiDatabase.CandidateRow> rows = ci.database().candidates(100_000);
      for (CiDatabase.CandidateRow c : rows) {
        List<CiDatabase.RunRow> runs = ci.database().runsOf(c.id());
        runs.stream().filter(r -> r.started() != null).forEach(r -> handout.add(Duration.between(r.created(), r.started()).toNanos()));
        runs.stream().filter(r -> r.step().equals("prepare")).findFirst()
            .ifPresent(r -> build.add(Duration.between(c.created(), r.created()).toNanos()));
        runs.stream().map(CiDatabase.RunRow::finished).filter(java.util.Objects::nonNull).max(Instant::compareTo)
            .filter(last -> c.finished() != null).ifPresent(last -> merge.add(Duration.between(last, c.finished()).toNanos()));
      }
      long candidates = rows.size();
      web.close();
      ci.close();
      threads.forEach(Thread::interrupt);
      StringBuilder b = new StringBuilder("## Scheduling overhead: " + agents + " agents, " + queued + " queued patches, batches of up to " + maxBatch + "\n\n");
      b.append(agents).append(" agents speak the real HTTP agent protocol but do no work (every step passes at once), so the time is the ")
          .append("server's: queue engine, SQLite event log and read models, JGit (build, publish, fast-forward, notes per candidate), HTTP. ")
          .append("Pipeline: 5 independent steps, plus one prepare run per candidate.\n\n");
      b.append("| measure | value |\n|---|---|\n");
      b.append("| patches merged | ").append(queued).append(" |\n");
      b.append("| candidates | ").append(candidates).append(" |\n");
      b.append("| runs handed out | ").append(jobs.get()).append(" |\n");
      b.append("| wall time | ").append(wall.toMillis()).append(" ms |\n");
      b.append("| wall time per run | ").append(String.format("%.2f", wall.toMillis() / (double) Math.max(1, jobs.get()))).append(" ms |\n");
      b.append("| wall time per patch | ").append(String.format("%.2f", wall.toMillis() / (double) queued)).append(" ms |\n");
      b.append("| a ready run waits for an idle agent: median / p99 | ").append(pct(new ConcurrentLinkedQueue<>(handout), 50)).append(" / ")
          .append(pct(new ConcurrentLinkedQueue<>(handout), 99)).append(" ms |\n");
      b.append("| agent's result report (HTTP round trip): median / p99 | ").append(pct(reportLatency, 50)).append(" / ")
          .append(pct(reportLatency, 99)).append(" ms |\n");
      b.append("| building a candidate (JGit merge + publish): median / p99 | ").append(pct(new ConcurrentLinkedQueue<>(build), 50)).append(" / ")
          .append(pct(new ConcurrentLinkedQueue<>(build), 99)).append(" ms |\n");
      b.append("| merging (fast-forward + notes + record): median / p99 | ").append(pct(new ConcurrentLinkedQueue<>(merge), 50)).append(" / ")
          .append(pct(new ConcurrentLinkedQueue<>(merge), 99)).append(" ms |\n");
      b.append("| agent poll round trip when it got a run (includes waiting for work) median | ").append(pct(pollLatency, 50)).append(" ms |\n\n");
      return b.toString();
    }
  }

  private static String pct(ConcurrentLinkedQueue<Long> nanos, int p) {
    List<Long> v = new ArrayList<>(nanos);
    if (v.isEmpty()) {
      return "-";
    }
    Collections.sort(v);
    return String.format("%.2f", v.get(Math.min(v.size() - 1, v.size() * p / 100)) / 1e6);
  }

  private static HttpResponse<String> post(HttpClient http, String url, String agent, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + AGENT_TOKEN).header("X-Gantry-Agent", agent)
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
