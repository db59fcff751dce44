package dev.gantry.ci.agent;

import dev.gantry.ci.api.AgentHello;
import dev.gantry.ci.api.HeartbeatReply;
import dev.gantry.ci.api.JobOffer;
import dev.gantry.ci.api.PrepareReport;
import dev.gantry.ci.api.RunResult;
import dev.gantry.ci.pipeline.PipelineException;
import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.pipeline.StepSpec;
import dev.gantry.core.UserError;
import dev.gantry.core.process.Command;
import dev.gantry.core.process.ProcessResult;
import dev.gantry.core.process.RunningProcess;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CI agent: each slot long-polls the server for a run, runs it (prepare: compile the
 * pipeline and report its steps; step: run the command in the candidate's workspace),
 * streams the log and reports the result. A heartbeat tells the server the agent is alive
 * and brings back the runs to cancel, whose process trees are then killed.
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(settings)) {
 *   agent.awaitStop();
 * }
 * }</pre>
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentSettings settings;
  private final ServerClient client;
  private final Workspaces workspaces;
  private final Path classes;
  private final Path artifacts;
  private final Map<Long, Handle> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "gantry-agent-timer");
    t.setDaemon(true);
    return t;
  });
  private final List<Thread> slots = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(5);
  private final StepProcesses steps;
  private volatile boolean closed;
  /** Whether the last poll of any slot failed to reach the server. */
  private final AtomicBoolean unreachable = new AtomicBoolean();
  private volatile String fatal;

  /** One run in progress: its process, once started, and whether the server cancelled it. */
  private static final class Handle {
    volatile RunningProcess process;
    volatile boolean cancelled;

    void cancel() {
      cancelled = true;
      RunningProcess p = process;
      if (p != null) {
        p.cancel();
      }
    }
  }

  private Agent(AgentSettings settings) {
    this.settings = settings;
    this.client = new ServerClient(settings);
    this.workspaces = new Workspaces(settings.work());
    this.classes = settings.work().resolve("classes");
    this.artifacts = settings.work().resolve("artifacts");
    this.steps = new StepProcesses(settings.work().resolve("running"));
  }

  /** Starts the slots and the heartbeat; returns at once. */
  public static Agent start(AgentSettings settings) {
    Agent a = new Agent(settings);
    // an agent killed outright left its steps running: they end before any new work starts
    a.steps.killLeftovers(LEFTOVER_GRACE).forEach(line -> LOG.warn("agent {}: {}", settings.name(), line));
    long hb = settings.heartbeat().toMillis();
    a.timers.scheduleWithFixedDelay(a::heartbeat, 0, hb, TimeUnit.MILLISECONDS);
    a.timers.scheduleWithFixedDelay(a::collectGarbage, 1, 10, TimeUnit.MINUTES);
    for (int i = 0; i < settings.slots(); i++) {
      Thread t = new Thread(a::slotLoop, "gantry-agent-slot-" + (i + 1));
      t.setDaemon(true);
      a.slots.add(t);
      t.start();
    }
    LOG.info("agent {} polling {} with {} slot(s), capabilities {}", settings.name(), settings.server(), settings.slots(), settings.capabilities());
    return a;
  }

  /** Blocks until the agent stops; returns why when the server refused it. */
  public Optional<String> awaitStop() throws InterruptedException {
    stopped.await();
    return Optional.ofNullable(fatal);
  }

  private AgentHello hello() {
    return new AgentHello(settings.name(), settings.capabilities(), settings.slots(), List.copyOf(running.keySet()));
  }

  private void slotLoop() {
    while (!closed) {
      try {
        Optional<JobOffer> offer = client.poll(hello());
        offer.ifPresent(this::execute);
      } catch (ServerClient.AgentRefused e) {
        stopWith(e.getMessage());
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          // said once when the server goes away, once when it is back: not every second
          String why = describe(e);
          if (!unreachable.getAndSet(true)) {
            LOG.warn("agent {}: the server at {} cannot be reached ({}); trying again every second", settings.name(),
                settings.server(), why);
          }
          sleep(1000);
          continue;
        }
      }
      if (unreachable.getAndSet(false)) {
        LOG.info("agent {}: the server at {} answers again", settings.name(), settings.server());
      }
    }
  }

  /** An exception's message, or its kind when it has none (a refused connection says nothing). */
  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private void heartbeat() {
    if (closed) {
      return;
    }
    try {
      HeartbeatReply reply = client.heartbeat(hello());
      for (long run : reply.cancel()) {
        Handle h = running.get(run);
        if (h != null) {
          LOG.info("agent {}: cancelling run {}", settings.name(), run);
          h.cancel();
        }
      }
    } catch (ServerClient.AgentRefused e) {
      stopWith(e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.debug("heartbeat failed: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void execute(JobOffer offer) {
    Handle handle = new Handle();
    running.put(offer.run(), handle);
    try (LogStreamer log = new LogStreamer(client, offer.run(), timers, handle::cancel)) {
      log.line("[gantry] run " + offer.run() + " on agent " + settings.name() + ": "
          + (offer.prepare() ? "prepare" : "step " + offer.step().name()) + " of candidate " + offer.candidate() + " at " + offer.commit());
      if (offer.prepare()) {
        prepare(offer, log);
      } else {
        step(offer, log, handle);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("agent {}: run {} could not be reported: {}", settings.name(), offer.run(), describe(e));
    } finally {
      running.remove(offer.run());
    }
  }

  private void prepare(JobOffer offer, LogStreamer log) throws IOException, InterruptedException {
    Path ws = null;
    try {
      ws = workspaces.scratch(offer);
      StepGraph graph = new PipelineLoader(classes).load(ws).build();
      log.line("[gantry] steps: " + String.join(", ", graph.names()));
      log.close();
      client.prepared(offer.run(), new PrepareReport(graph, null));
    } catch (PipelineException e) {
      log.line(e.getMessage());
      log.close();
      client.prepared(offer.run(), new PrepareReport(null, e.getMessage()));
    } catch (RuntimeException e) {
      String msg = "prepare failed on agent " + settings.name() + ": " + e.getMessage();
      log.line(msg);
      log.close();
      client.prepared(offer.run(), new PrepareReport(null, msg));
    } finally {
      if (ws != null) {
        workspaces.discard(ws);
      }
    }
  }

  private void step(JobOffer offer, LogStreamer log, Handle handle) throws IOException, InterruptedException {
    StepSpec step = offer.step();
    Path ws;
    try {
      ws = workspaces.acquire(offer, step.incremental());
    } catch (RuntimeException e) {
      log.line("[gantry] " + e.getMessage());
      log.close();
      client.finished(offer.run(), new RunResult(false, -1, "checkout failed on agent " + settings.name() + ": " + e.getMessage()));
      return;
    }
    try {
      Command cmd = step.javaAction()
          ? Command.of(javaBinary(), "-cp", System.getProperty("java.class.path"), JavaStepMain.class.getName(), ws.toString(), step.name(),
              classes.toString())
          : Command.shell(step.command());
      log.line("[gantry] $ " + (step.javaAction() ? "(java step " + step.name() + ")" : step.command()));
      RunningProcess p = cmd.dir(ws).env(env(offer)).timeout(step.timeout()).maxCapture(64 * 1024)
          .onStdout(log::line).onStderr(log::line).start();
      handle.process = p;
      steps.started(offer.run(), p.pid());
      if (handle.cancelled) {
        p.cancel();
      }
      ProcessResult r = p.await();
      steps.ended(offer.run()); // before the server hears of it; the finally covers a failure on the way
      if (handle.cancelled) {
        log.line("[gantry] cancelled by the server");
        return;
      }
      keepArtifacts(offer, ws, log);
      String message = r.timedOut() ? "timed out after " + step.timeout() : "exit " + r.exitCode();
      log.line("[gantry] " + message + " in " + r.duration().toMillis() + " ms");
      log.close();
      client.finished(offer.run(), new RunResult(r.ok(), r.exitCode(), message));
    } catch (UserError e) {
      log.line("[gantry] " + e.getMessage());
      log.close();
      client.finished(offer.run(), new RunResult(false, -1, e.getMessage()));
    } finally {
      steps.ended(offer.run());
      workspaces.release(ws);
    }
  }

  private Map<String, String> env(JobOffer offer) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GANTRY_COMMIT", offer.commit());
    env.put("GANTRY_CANDIDATE", Long.toString(offer.candidate()));
    env.put("GANTRY_STEP", offer.step().name());
    env.put("GANTRY_RUN", Long.toString(offer.run()));
    env.put("GANTRY_RUN_URL", offer.runUrl());
    env.put("GANTRY_PATCHES", String.join(" ", offer.patches()));
    env.put("GANTRY_AGENT", settings.name());
    return env;
  }

  private void keepArtifacts(JobOffer offer, Path ws, LogStreamer log) {
    if (offer.step().artifacts().isEmpty()) {
      return;
    }
    List<PathMatcher> matchers = offer.step().artifacts().stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    Path dest = artifacts.resolve(Long.toString(offer.run()));
    int kept = 0;
    try (Stream<Path> files = Files.walk(ws)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = ws.relativize(f);
        if (!rel.startsWith(".git") && matchers.stream().anyMatch(m -> m.matches(rel))) {
          Path to = dest.resolve(rel);
          Files.createDirectories(to.getParent());
          Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          kept++;
        }
      }
    } catch (IOException e) {
      log.line("[gantry] keeping artifacts failed: " + e.getMessage());
    }
    log.line("[gantry] kept " + kept + " artifact(s) in " + dest);
  }

  private void collectGarbage() {
    try {
      workspaces.collectGarbage();
    } catch (RuntimeException e) {
      LOG.debug("workspace cleanup failed: {}", e.getMessage());
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private void stopWith(String reason) {
    if (fatal == null) {
      fatal = reason;
      LOG.error(reason);
    }
    close();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops polling and kills the runs in progress. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    running.values().forEach(Handle::cancel);
    slots.forEach(Thread::interrupt);
    timers.shutdownNow();
    stopped.countDown();
  }
}
