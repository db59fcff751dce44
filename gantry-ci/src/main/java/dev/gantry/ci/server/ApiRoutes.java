package dev.gantry.ci.server;

import dev.gantry.ci.api.Json;
import dev.gantry.ci.api.AgentHello;
import dev.gantry.ci.api.AgentPaths;
import dev.gantry.ci.api.PrepareReport;
import dev.gantry.ci.api.RunResult;
import dev.gantry.ci.git.ReviewRefs;
import dev.gantry.ci.hook.HookMessage;
import dev.gantry.ci.pipeline.StepGraph;
import dev.gantry.ci.queue.Event;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.JobStatus;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.stats.History;
import dev.gantry.ci.stats.TrendsCalculator;
import dev.gantry.ci.stats.TrendsQuery;
import dev.gantry.core.UserError;
import dev.gantry.core.web.Auth;
import dev.gantry.core.web.Web;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CI's HTTP API: the agent protocol (agent token), the git hook (HMAC signature) and the
 * JSON API the command line uses (reads open, changes with the admin token).
 */
public final class ApiRoutes {
  private final CiService ci;
  private final Web web;
  private final byte[] agentToken;

  private ApiRoutes(CiService ci, Web web) {
    this.ci = ci;
    this.web = web;
    this.agentToken = ci.settings().agentToken().getBytes(StandardCharsets.UTF_8);
  }

  public static void register(CiService ci, Web web) {
    new ApiRoutes(ci, web).routes();
  }

  private void routes() {
    var app = web.app();
    app.events(e -> e.serverStopping(() -> ci.hub().release()));
    web.selfAuthenticated(AgentPaths.AGENT);
    web.requireClientCertificate(AgentPaths.AGENT); // only when the server is set to (server.agent-client-ca)
    web.selfAuthenticated(AgentPaths.HOOK);

    app.post(AgentPaths.POLL, ctx -> agent(ctx, () -> {
      AgentHello h = hello(ctx);
      Duration wait = CiService.clamp(ci.settings().longPoll(), Duration.ofSeconds(60));
      var offer = ci.hub().poll(h, wait);
      if (offer.isEmpty()) {
        ctx.status(204);
      } else {
        json(ctx, offer.get());
      }
    }));
    app.post(AgentPaths.HEARTBEAT, ctx -> agent(ctx, () -> json(ctx, ci.hub().heartbeat(hello(ctx)))));
    app.post(AgentPaths.RUNS + "{run}/log", ctx -> agent(ctx, () -> {
      Job j = ownRun(ctx);
      String seq = ctx.header(AgentPaths.LOG_SEQ_HEADER);
      if (seq != null && seq.matches("\\d{1,18}")) {
        ci.logs().append(j.id(), Long.parseLong(seq), ctx.body());
      } else {
        ci.logs().append(j.id(), ctx.body()); // an agent of an older Gantry
      }
      ctx.status(204);
    }));
    app.post(AgentPaths.RUNS + "{run}/prepared", ctx -> agent(ctx, () -> {
      Job j = ownRun(ctx);
      PrepareReport r = Json.read(ctx.body(), PrepareReport.class);
      if (r.graph() != null) {
        StepGraph checked;
        try {
          checked = StepGraph.of(r.graph().steps());
        } catch (UserError e) {
          ci.logs().append(j.id(), "\n" + e.getMessage() + "\n");
          ci.apply(new Event.JobFinished(j.id(), false, e.getMessage()));
          ctx.status(204);
          return;
        }
        ci.apply(new Event.PrepareSucceeded(j.id(), checked));
      } else {
        ci.apply(new Event.JobFinished(j.id(), false, r.error() == null ? "the pipeline could not be prepared" : r.error()));
      }
      ctx.status(204);
    }));
    app.post(AgentPaths.RUNS + "{run}/finished", ctx -> agent(ctx, () -> {
      Job j = ownRun(ctx);
      RunResult r = Json.read(ctx.body(), RunResult.class);
      ci.apply(new Event.JobFinished(j.id(), r.passed(), r.message()));
      ctx.status(204);
    }));

    app.post(AgentPaths.HOOK, this::hook);

    app.get("/api/ci/status", ctx -> json(ctx, status()));
    app.get("/api/ci/stats/trends", ctx -> guarded(ctx, () -> {
      TrendsQuery q = TrendsQuery.parse(ctx.queryParam("days"), ctx.queryParam("tz"));
      Instant now = ci.clock().instant();
      History h = ci.database().history(TrendsCalculator.spanStart(now, q.zone(), q.days()));
      json(ctx, TrendsCalculator.compute(h, now, q.zone(), q.days()));
    }));
    app.get("/api/ci/patches/{id}", ctx -> guarded(ctx, () -> json(ctx, patch(ctx))));
    app.get("/api/ci/runs/{id}/log", ctx -> guarded(ctx, () -> {
      long run = id(ctx);
      ci.database().run(run).orElseThrow(() -> new NotFound("no run " + run));
      String log = ci.logs().read(run);
      String why = ci.waiting().get(run);
      ctx.contentType("text/plain; charset=utf-8").result(log.isEmpty() && why != null ? "[gantry] " + why + "\n" : log);
    }));
    app.post("/api/ci/submit", ctx -> admin(ctx, () -> {
      var body = Json.read(ctx.body(), SubmitRequest.class);
      if (body.ref() == null || body.ref().isBlank()) {
        throw new UserError("submit: give the branch to test, e.g. {\"ref\": \"review/login\"}");
      }
      String branch = body.ref().replaceFirst("^refs/heads/", "");
      Optional<Patch> p = ci.submit(branch, null, Boolean.TRUE.equals(body.urgent()));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("queued", p.isPresent());
      p.ifPresent(x -> out.put("patch", x));
      if (p.isEmpty()) {
        out.put("message", branch + " is already on master");
      }
      json(ctx, out);
    }));
    app.post("/api/ci/pause", ctx -> admin(ctx, () -> {
      String reason = ctx.body().isBlank() ? "" : Json.read(ctx.body(), PauseRequest.class).reason();
      ci.pause(reason);
      json(ctx, status());
    }));
    app.post("/api/ci/resume", ctx -> admin(ctx, () -> {
      ci.resume();
      json(ctx, status());
    }));
    app.post("/api/ci/patches/{id}/retry", ctx -> admin(ctx, () -> json(ctx, ci.retry(id(ctx)))));
    app.post("/api/ci/patches/{id}/remove", ctx -> admin(ctx, () -> json(ctx, ci.remove(id(ctx)))));
    app.post("/api/ci/candidates/{id}/skip/{step}", ctx -> admin(ctx, () -> {
      ci.skip(id(ctx), ctx.pathParam("step"));
      json(ctx, status());
    }));
  }

  /** {@code urgent}: the priority lane (optional, false by default). */
  record SubmitRequest(String ref, Boolean urgent) {}

  record PauseRequest(String reason) {}

  /** What a hook call queued, and the lines that queued nothing with why. */
  record HookAnswer(List<Object> queued, List<Object> ignored) {}

  /** The queue as the command line shows it. */
  public Map<String, Object> status() {
    var s = ci.state();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("paused", s.paused());
    out.put("pauseReason", s.pauseReason());
    out.put("master", s.master());
    out.put("stepRuns", s.stepRuns());
    out.put("active", s.active());
    out.put("followers", s.followers());
    out.put("window", ci.window());
    out.put("jobs", new ArrayList<>(s.jobs().values()));
    out.put("waiting", ci.waiting());
    out.put("bisection", s.bisection());
    out.put("stackSearch", s.stackSearch());
    out.put("patches", ci.database().patches(100));
    out.put("agents", ci.agents());
    return out;
  }

  private Map<String, Object> patch(Context ctx) {
    long id = id(ctx);
    Patch p = ci.state().patch(id).or(() -> ci.database().patch(id)).orElseThrow(() -> new NotFound("no patch #" + id));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("patch", p);
    out.put("trail", p.trail().stream().map(t -> t.describe()).toList());
    List<Object> runs = new ArrayList<>();
    for (long c : p.candidates()) {
      runs.addAll(ci.database().runsOf(c));
    }
    out.put("runs", runs);
    return out;
  }

  private void hook(Context ctx) {
    HookMessage m = new HookMessage(ctx.header(AgentPaths.TIMESTAMP_HEADER), ctx.header(AgentPaths.NONCE_HEADER),
        ctx.header(AgentPaths.SIGNATURE_HEADER), ctx.bodyAsBytes());
    if (m.check(ci.settings().hookSecret(), ci.clock().instant(), ci::firstUseOfHookNonce) instanceof HookMessage.Verdict.Refused r) {
      ctx.status(401);
      json(ctx, Map.of("error", r.reason()));
      return;
    }
    guarded(ctx, () -> {
      List<Object> queued = new ArrayList<>();
      List<Object> ignored = new ArrayList<>();
      Optional<String> foreign = ci.notGuarded(ctx.header(AgentPaths.REPOSITORY_HEADER));
      for (String line : m.text().split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 3) {
          continue;
        }
        String branch = ReviewRefs.branchOf(f[2]);
        if (branch == null || f[1].matches("0+") || !f[1].matches("[0-9a-f]{40}")) {
          continue;
        }
        if (foreign.isPresent()) {
          ignored.add(new CiService.Pushed.Ignored(branch, f[1], foreign.get()));
          continue;
        }
        switch (ci.submitPushed(branch, f[1])) {
          case CiService.Pushed.Queued q -> queued.add(q.patch());
          case CiService.Pushed.Ignored i -> ignored.add(i);
        }
      }
      ctx.status(202);
      json(ctx, new HookAnswer(queued, ignored));
    });
  }

  private AgentHello hello(Context ctx) {
    AgentHello h = Json.read(ctx.body(), AgentHello.class);
    if (h.name() == null || !h.name().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new UserError("agent name '" + h.name() + "' is invalid: use 1 to 64 letters, digits, '.', '-', '_'");
    }
    return h;
  }

  private Job ownRun(Context ctx) {
    long run = number(ctx, "run");
    String agent = ctx.header("X-Gantry-Agent");
    Job j = ci.state().job(run).orElse(null);
    if (j == null || j.status() != JobStatus.RUNNING || agent == null || !agent.equals(j.agent())) {
      throw new Conflict("run " + run + " is not running on agent " + agent + " (cancelled, lost or finished)");
    }
    return j;
  }

  private static long id(Context ctx) {
    return number(ctx, "id");
  }

  /** A path parameter that must be a number; anything else is a clear 400, not Javalin's conversion error. */
  private static long number(Context ctx, String param) {
    String raw = ctx.pathParam(param);
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new UserError("'" + raw + "' is not a number");
    }
  }

  private void agent(Context ctx, Action action) {
    String presented = Auth.presented(ctx);
    if (presented == null || !MessageDigest.isEqual(agentToken, presented.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"gantry-agent\"");
      throw new UnauthorizedResponse("agent token required");
    }
    guarded(ctx, action);
  }

  private void admin(Context ctx, Action action) {
    web.auth().requireAdmin(ctx);
    guarded(ctx, action);
  }

  private static void guarded(Context ctx, Action action) {
    try {
      action.run();
    } catch (NotFound e) {
      error(ctx, 404, e.getMessage());
    } catch (Conflict e) {
      error(ctx, 409, e.getMessage());
    } catch (UserError | IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(ctx, 503, "the server is stopping");
    }
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(Json.write(Map.of("error", message)));
  }

  static void json(Context ctx, Object value) {
    ctx.contentType("application/json").result(Json.write(value));
  }

  @FunctionalInterface
  interface Action {
    void run() throws InterruptedException;
  }

  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String m) {
      super(m);
    }
  }

  static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(String m) {
      super(m);
    }
  }
}
