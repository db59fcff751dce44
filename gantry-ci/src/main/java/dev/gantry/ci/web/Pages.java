package dev.gantry.ci.web;

import static dev.gantry.ci.web.Fmt.badge;
import static dev.gantry.ci.web.Fmt.button;
import static dev.gantry.ci.web.Fmt.link;
import static dev.gantry.ci.web.Fmt.sha;
import static dev.gantry.core.web.Html.escape;

import dev.gantry.ci.git.CommitInfo;
import dev.gantry.ci.git.FileChange;
import dev.gantry.ci.queue.Bisection;
import dev.gantry.ci.queue.StackSearch;
import dev.gantry.ci.queue.Candidate;
import dev.gantry.ci.queue.Job;
import dev.gantry.ci.queue.Patch;
import dev.gantry.ci.queue.PatchState;
import dev.gantry.ci.queue.QueueState;
import dev.gantry.ci.queue.TrailEntry;
import dev.gantry.ci.server.CiDatabase;
import dev.gantry.ci.server.CiService;
import dev.gantry.ci.api.Json;
import dev.gantry.ci.server.LogStore;
import dev.gantry.ci.stats.TrendsQuery;
import dev.gantry.core.UserError;
import dev.gantry.core.web.Web;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CI's HTML pages: queue, patch, candidate, run (live log), agents, statistics. */
final class Pages {
  private final CiService ci;
  private final Web web;

  Pages(CiService ci, Web web) {
    this.ci = ci;
    this.web = web;
  }

  void register() {
    var app = web.app();
    app.get("/ci", this::queue);
    app.get("/ci/patches/{id}", this::patch);
    app.get("/ci/candidates/{id}", this::candidate);
    app.get("/ci/runs/{id}", this::run);
    app.get("/ci/agents", this::agents);
    app.get("/ci/stats", this::stats);
    app.sse("/ci/runs/{id}/stream", client -> {
      long run = parseId(client.ctx().pathParam("id"));
      client.keepAlive();
      Runnable stop = ci.logs().follow(run, chunk -> {
        if (LogStore.END.equals(chunk)) {
          client.sendEvent("end", "");
          client.close();
        } else if (!chunk.isEmpty()) {
          client.sendEvent("log", Json.write(chunk));
        }
      });
      client.onClose(stop);
    });
    app.post("/ci/actions/pause", ctx -> action(ctx, () -> ci.pause(Optional.ofNullable(ctx.formParam("reason")).orElse("")), "/ci"));
    app.post("/ci/actions/resume", ctx -> action(ctx, ci::resume, "/ci"));
    app.post("/ci/actions/patches/{id}/retry", ctx -> action(ctx, () -> ci.retry(parseId(ctx.pathParam("id"))), "/ci/patches/" + ctx.pathParam("id")));
    app.post("/ci/actions/patches/{id}/remove", ctx -> action(ctx, () -> ci.remove(parseId(ctx.pathParam("id"))), "/ci/patches/" + ctx.pathParam("id")));
    app.post("/ci/actions/candidates/{id}/skip/{step}",
        ctx -> action(ctx, () -> ci.skip(parseId(ctx.pathParam("id")), ctx.pathParam("step")), "/ci/candidates/" + ctx.pathParam("id")));
  }

  private void action(Context ctx, Runnable what, String back) {
    web.auth().requireAdmin(ctx);
    try {
      what.run();
      ctx.redirect(back, io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (UserError e) {
      ctx.status(400).html(page("Not done", "<p class=\"ci-error\">" + escape(e.getMessage()) + "</p><p>" + link(back, "back") + "</p>"));
    }
  }

  private static long parseId(String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new NotFoundResponse("'" + raw + "' is not a number");
    }
  }

  private String page(String title, String body) {
    return web.layout().page(title, "/ci", "<link rel=\"stylesheet\" href=\"/assets/ci/ci.css\">"
        + "<nav class=\"ci-tabs\">" + link("/ci", "Queue") + " " + link("/ci/agents", "Agents") + " " + link("/ci/stats", "Statistics") + "</nav>" + body);
  }

  // ---- queue -----------------------------------------------------------------------------

  private void queue(Context ctx) {
    QueueState s = ci.state();
    boolean admin = web.auth().isAdmin(ctx);
    StringBuilder b = new StringBuilder("<h1>CI queue</h1>");
    b.append("<p>master ").append(sha(s.master())).append(" &middot; ").append(s.stepRuns()).append(" step runs so far");
    if (s.paused()) {
      b.append(" &middot; <strong class=\"ci-error\">paused: ").append(escape(s.pauseReason())).append("</strong>");
    }
    b.append("</p>");
    if (admin) {
      b.append(s.paused() ? button("/ci/actions/resume", "Resume the queue", "")
          : button("/ci/actions/pause", "Pause the queue", "<input name=\"reason\" placeholder=\"reason\">"));
    }
    Candidate c = s.active();
    b.append("<h2>Active candidate</h2>");
    if (c == null) {
      b.append("<p>Nothing is being tested.</p>");
    } else {
      b.append("<p>").append(link("/ci/candidates/" + c.id(), "candidate " + c.id())).append(" ").append(badge(c.status()))
          .append(c.probe() ? " bisection probe for step '" + escape(c.probeStep()) + "'" : "")
          .append(" &middot; master ").append(sha(c.base())).append(" + ").append(patchLinks(s, c.patches())).append("</p>");
      b.append(runTable(rows(s, c.id())));
      long ahead = c.id();
      for (Candidate f : s.followers()) {
        b.append("<p>").append(link("/ci/candidates/" + f.id(), "candidate " + f.id())).append(" ").append(badge(f.status()))
            .append(" speculative behind ").append(link("/ci/candidates/" + ahead, "#" + ahead)).append(" &middot; ")
            .append(f.base() == null ? "candidate " + ahead : sha(f.base())).append(" + ").append(patchLinks(s, f.patches())).append("</p>");
        b.append(runTable(rows(s, f.id())));
        ahead = f.id();
      }
    }
    Bisection bi = s.bisection();
    if (bi != null) {
      b.append("<h2>Bisection</h2><p>looking for the patch that breaks step '").append(escape(bi.step())).append("' among ")
          .append(patchLinks(s, bi.patches())).append(": prefixes up to ").append(bi.good()).append(" pass, from ").append(bi.bad()).append(" fail</p>");
      b.append(trail(bi.trail()));
    }
    StackSearch st = s.stackSearch();
    if (st != null) {
      b.append("<h2>Stack</h2><p>").append(patchLinks(s, List.of(st.culprit()))).append(" breaks step '").append(escape(st.step()))
          .append("'; looking for the first of its ").append(st.stack().size()).append(" commits that fails it: up to commit ")
          .append(st.good()).append(" pass, from commit ").append(st.bad()).append(" fail</p>");
    }
    b.append("<h2>Patches</h2><table class=\"ci-table\"><tr><th>#</th><th>branch</th><th>commit</th><th>author</th><th>subject</th><th>state</th><th>submitted</th></tr>");
    List<Patch> patches = ci.database().patches(100);
    for (Patch p : patches) {
      Patch live = s.patch(p.id()).orElse(p);
      b.append("<tr><td>").append(link("/ci/patches/" + p.id(), "#" + p.id())).append("</td><td>").append(escape(p.branch()))
          .append(p.urgent() ? " " + badge("urgent") : "")
          .append("</td><td>").append(sha(p.commit())).append("</td><td>").append(escape(p.author())).append("</td><td>")
          .append(escape(p.subject())).append("</td><td>").append(badge(live.state())).append(live.reason().isEmpty() ? "" : " " + escape(live.reason()))
          .append("</td><td>").append(Fmt.time(p.submitted())).append("</td></tr>");
    }
    b.append("</table>");
    ctx.html(page("CI queue", b.toString()));
  }

  private static String patchLinks(QueueState s, List<Long> ids) {
    if (ids.isEmpty()) {
      return "no patch";
    }
    StringBuilder b = new StringBuilder();
    for (long id : ids) {
      String branch = s.patch(id).map(Patch::branch).orElse("");
      b.append(link("/ci/patches/" + id, "#" + id + " " + branch)).append(" ");
    }
    return b.toString().trim();
  }

  /** The runs of a candidate being tested; one that no online agent can take says why in its message. */
  private List<CiDatabase.RunRow> rows(QueueState s, long candidate) {
    Map<Long, String> why = ci.waiting();
    return s.jobsOf(candidate).values().stream().map(j -> row(j, why)).toList();
  }

  private static CiDatabase.RunRow row(Job j, Map<Long, String> why) {
    return new CiDatabase.RunRow(j.id(), j.candidate(), j.step(), j.attempt(), j.status(), j.agent(), j.created(), j.started(),
        j.finished(), why.getOrDefault(j.id(), j.message()));
  }

  private static String runTable(List<CiDatabase.RunRow> runs) {
    StringBuilder b = new StringBuilder("<table class=\"ci-table\"><tr><th>run</th><th>step</th><th>attempt</th><th>status</th><th>agent</th><th>time</th><th>message</th></tr>");
    for (CiDatabase.RunRow r : runs) {
      b.append("<tr><td>").append(link("/ci/runs/" + r.id(), r.id())).append("</td><td>").append(escape(r.step())).append("</td><td>")
          .append(r.attempt()).append("</td><td>").append(badge(r.status())).append("</td><td>").append(escape(r.agent()))
          .append("</td><td>").append(Fmt.duration(r.started(), r.finished())).append("</td><td>").append(escape(abbreviate(r.message())))
          .append("</td></tr>");
    }
    return b.append("</table>").toString();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String trail(List<TrailEntry> trail) {
    StringBuilder b = new StringBuilder("<ol class=\"ci-trail\">");
    for (TrailEntry t : trail) {
      b.append("<li>").append(t.passed() ? badge("passed") : badge("failed")).append(" ")
          .append(link("/ci/candidates/" + t.candidate(), "candidate " + t.candidate())).append(" ")
          .append(escape(t.describe().replaceFirst("^candidate \\d+ ", "")));
      if (t.runId() > 0) {
        b.append(" ").append(link("/ci/runs/" + t.runId(), "log"));
      }
      b.append("</li>");
    }
    return b.append("</ol>").toString();
  }

  // ---- patch -----------------------------------------------------------------------------

  private void patch(Context ctx) {
    long id = parseId(ctx.pathParam("id"));
    QueueState s = ci.state();
    Patch p = s.patch(id).or(() -> ci.database().patch(id)).orElseThrow(() -> new NotFoundResponse("no patch #" + id));
    boolean admin = web.auth().isAdmin(ctx);
    StringBuilder b = new StringBuilder("<h1>Patch #").append(id).append(" ").append(escape(p.branch())).append("</h1>");
    b.append("<p>").append(badge(p.state())).append(" ").append(escape(p.reason())).append("</p>");
    b.append("<p>").append(escape(p.subject())).append(" &middot; ").append(escape(p.author())).append(" &middot; ").append(sha(p.commit()))
        .append(" &middot; submitted ").append(Fmt.time(p.submitted())).append("</p>");
    if (admin) {
      if (p.state() == PatchState.REJECTED || p.state() == PatchState.REMOVED) {
        b.append(button("/ci/actions/patches/" + id + "/retry", "Retry", ""));
      } else if (!p.state().terminal()) {
        b.append(button("/ci/actions/patches/" + id + "/remove", "Remove from the queue", ""));
      }
    }
    if (!p.trail().isEmpty()) {
      b.append("<h2>Why it was rejected</h2><p>The bisection that singled it out:</p>").append(trail(p.trail()));
      TrailEntry last = p.trail().get(p.trail().size() - 1);
      b.append("<p>Prefixes without #").append(id).append(" pass step '").append(escape(last.step())).append("'; adding #").append(id)
          .append(" makes it fail.</p>");
    }
    String base = s.master();
    List<CommitInfo> commits = ci.mirror().commitsNotIn(base, p.commit());
    b.append("<h2>Commits</h2><ul>");
    for (CommitInfo c : commits) {
      b.append("<li>").append(sha(c.sha())).append(" ").append(escape(c.subject())).append(" &middot; ").append(escape(c.author())).append("</li>");
    }
    b.append("</ul><h2>Changed files</h2><table class=\"ci-table\"><tr><th>path</th><th>+</th><th>-</th></tr>");
    for (FileChange f : ci.mirror().diffStat(base, p.commit())) {
      b.append("<tr><td>").append(escape(f.path())).append("</td><td>").append(f.added()).append("</td><td>").append(f.removed()).append("</td></tr>");
    }
    b.append("</table><h2>Runs</h2>");
    for (long c : p.candidates()) {
      Optional<CiDatabase.CandidateRow> row = ci.database().candidate(c);
      b.append("<h3>").append(link("/ci/candidates/" + c, "candidate " + c)).append(" ")
          .append(row.map(r -> (r.probe() ? "probe for '" + escape(r.probeStep()) + "' " : "") + badge(r.outcome() == null ? r.status() : r.outcome())).orElse(""))
          .append("</h3>").append(runTable(ci.database().runsOf(c)));
    }
    ctx.html(page("Patch #" + id, b.toString()));
  }

  // ---- candidate -------------------------------------------------------------------------

  private void candidate(Context ctx) {
    long id = parseId(ctx.pathParam("id"));
    CiDatabase.CandidateRow c = ci.database().candidate(id).orElseThrow(() -> new NotFoundResponse("no candidate " + id));
    QueueState s = ci.state();
    boolean active = s.active() != null && s.active().id() == id;
    boolean live = s.candidate(id).isPresent();
    StringBuilder b = new StringBuilder("<h1>Candidate ").append(id).append("</h1>");
    if (live && !active) {
      b.append("<p>speculative: behind ").append(link("/ci/candidates/" + s.active().id(), "candidate " + s.active().id()))
          .append(", on the commit of the candidate ahead of it, so it contains ").append(patchLinks(s, s.contained(s.candidate(id).orElseThrow())))
          .append("</p>");
    }
    b.append("<p>").append(badge(c.outcome() == null ? c.status() : c.outcome())).append(c.probe() ? " bisection probe for step '" + escape(c.probeStep()) + "'" : "")
        .append(" &middot; master ").append(sha(c.base())).append(" + ").append(patchLinks(s, c.patches())).append(" &middot; commit ").append(sha(c.commit()))
        .append(" &middot; made ").append(Fmt.time(c.created())).append("</p>");
    List<CiDatabase.RunRow> runs = live ? rows(s, id) : ci.database().runsOf(id);
    b.append(runTable(runs));
    if (active && web.auth().isAdmin(ctx)) {
      for (CiDatabase.RunRow r : runs) {
        if (!r.status().finished() && !r.step().equals(Job.PREPARE)) {
          b.append(button("/ci/actions/candidates/" + id + "/skip/" + r.step(), "Skip " + r.step(), ""));
        }
      }
    }
    ctx.html(page("Candidate " + id, b.toString()));
  }

  // ---- run -------------------------------------------------------------------------------

  private void run(Context ctx) {
    long id = parseId(ctx.pathParam("id"));
    QueueState s = ci.state();
    CiDatabase.RunRow r = s.job(id).map(j -> row(j, ci.waiting())).or(() -> ci.database().run(id)).orElseThrow(() -> new NotFoundResponse("no run " + id));
    StringBuilder b = new StringBuilder("<h1>Run ").append(id).append(": ").append(escape(r.step())).append("</h1>");
    b.append("<p>").append(badge(r.status())).append(" ").append(link("/ci/candidates/" + r.candidate(), "candidate " + r.candidate()))
        .append(" &middot; attempt ").append(r.attempt()).append(" &middot; agent ").append(escape(r.agent()))
        .append(" &middot; ").append(Fmt.duration(r.started(), r.finished()))
        .append(r.started() == null ? "" : " &middot; started " + Fmt.time(r.started())).append("</p>");
    if (!r.message().isEmpty()) {
      b.append("<pre class=\"ci-message\">").append(escape(r.message())).append("</pre>");
    }
    b.append("<pre id=\"log\" class=\"ci-log\">").append(escape(ci.logs().read(id))).append("</pre>");
    if (!ci.logs().finished(id)) {
      b.append("<script>(function(){var pre=document.getElementById('log');pre.textContent='';")
          .append("var es=new EventSource('/ci/runs/").append(id).append("/stream');")
          .append("es.addEventListener('log',function(e){pre.textContent+=JSON.parse(e.data);window.scrollTo(0,document.body.scrollHeight);});")
          .append("es.addEventListener('end',function(){es.close();location.reload();});})();</script>");
    }
    ctx.html(page("Run " + id, b.toString()));
  }

  // ---- agents and statistics ---------------------------------------------------------------

  private void agents(Context ctx) {
    StringBuilder b = new StringBuilder("<h1>Agents</h1><table class=\"ci-table\"><tr><th>name</th><th>capabilities</th><th>slots</th><th>running</th><th>last seen</th><th>state</th></tr>");
    for (CiService.AgentView a : ci.agents()) {
      b.append("<tr><td>").append(escape(a.name())).append("</td><td>").append(escape(String.join(", ", a.capabilities()))).append("</td><td>")
          .append(a.slots()).append("</td><td>");
      for (long run : a.running()) {
        b.append(link("/ci/runs/" + run, "run " + run)).append(" ");
      }
      b.append("</td><td>").append(Fmt.time(a.lastSeen())).append("</td><td>").append(badge(a.online() ? "online" : "offline")).append("</td></tr>");
    }
    ctx.html(page("Agents", b.append("</table>").toString()));
  }

  private static final String[][] CHARTS = {
      {"timeToMerge", "Time from push to merge", "Patches merged each day: median and 90th percentile."},
      {"queueWait", "Queue wait", "How long a patch waited before a candidate tested it, and a run for an agent (medians)."},
      {"stepDurations", "Step durations", "Mean time of each step's finished runs, for the steps run most."},
      {"rates", "Failure and flaky rates", "Share of finished runs that failed, and of passed runs that needed a retry."},
      {"agentUse", "Agent use", "Hours each agent spent running steps."}};

  private void stats(Context ctx) {
    TrendsQuery span;
    try {
      span = TrendsQuery.parse(ctx.queryParam("days"), null);
    } catch (UserError e) {
      ctx.status(400).html(page("CI statistics", "<p class=\"ci-error\">" + escape(e.getMessage()) + "</p><p>"
          + link("/ci/stats", "the last " + TrendsQuery.DEFAULT_DAYS + " days") + "</p>"));
      return;
    }
    List<CiDatabase.StepStats> steps = ci.database().stepStats();
    long merged = ci.database().patches(10_000).stream().filter(p -> p.state() == PatchState.MERGED).count();
    long rejected = ci.database().patches(10_000).stream().filter(p -> p.state() == PatchState.REJECTED).count();
    StringBuilder b = new StringBuilder("<link rel=\"stylesheet\" href=\"/assets/vendor/uplot/uPlot.min.css\">")
        .append("<script src=\"/assets/vendor/uplot/uPlot.iife.min.js\" defer></script>")
        .append("<script src=\"/assets/ci/stats.js\" defer></script><h1>Statistics</h1>");
    b.append("<p>").append(ci.database().stepRuns()).append(" step runs &middot; ").append(merged).append(" patches merged &middot; ")
        .append(rejected).append(" rejected</p>");
    b.append("<p class=\"ci-span\">Trends over ");
    for (int days : new int[] {7, 30, 90, 365}) {
      b.append("<a href=\"/ci/stats?days=").append(days).append('"').append(days == span.days() ? " class=\"active\"" : "")
          .append(">").append(days).append(" days</a>");
    }
    b.append("<span id=\"ci-charts-status\" class=\"muted\">Loading the charts...</span></p>");
    b.append("<section id=\"ci-charts\" class=\"charts\" data-days=\"").append(span.days()).append("\">");
    for (String[] c : CHARTS) {
      b.append("<div class=\"chart ci-chart\" id=\"chart-").append(c[0]).append("\" data-chart=\"").append(c[0]).append("\"><h2>")
          .append(escape(c[1])).append("</h2><p class=\"muted\">").append(escape(c[2]))
          .append(" <span class=\"ci-chart-note\"></span></p><div class=\"plot\"></div></div>");
    }
    b.append("</section>");
    b.append("<h2>Slowest steps</h2>").append(statsTable(steps.stream().sorted(Comparator.comparingLong(CiDatabase.StepStats::meanMillis).reversed()).limit(10).toList()));
    b.append("<h2>Most failing steps</h2>").append(statsTable(steps.stream().filter(x -> x.failures() > 0)
        .sorted(Comparator.comparingLong(CiDatabase.StepStats::failures).reversed()).limit(10).toList()));
    b.append("<p>A flaky run passed only on a retry (see <code>retries(n)</code> in the pipeline). The charts' data: ")
        .append(link("/api/ci/stats/trends?days=" + span.days(), "/api/ci/stats/trends")).append(".</p>");
    ctx.html(page("CI statistics", b.toString()));
  }

  private static String statsTable(List<CiDatabase.StepStats> rows) {
    StringBuilder b = new StringBuilder("<table class=\"ci-table\"><tr><th>step</th><th>runs</th><th>failures</th><th>flaky</th><th>mean</th><th>max</th></tr>");
    for (CiDatabase.StepStats s : rows) {
      b.append("<tr><td>").append(escape(s.step())).append("</td><td>").append(s.runs()).append("</td><td>").append(s.failures())
          .append("</td><td>").append(s.flaky())
          .append("</td><td>").append(Fmt.millis(s.meanMillis())).append("</td><td>").append(Fmt.millis(s.maxMillis())).append("</td></tr>");
    }
    return b.append("</table>").toString();
  }
}
