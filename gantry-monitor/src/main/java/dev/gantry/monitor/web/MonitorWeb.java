package dev.gantry.monitor.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.core.UserError;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import dev.gantry.monitor.Durations;
import dev.gantry.monitor.alert.Alert;
import dev.gantry.monitor.alert.AlertBook;
import dev.gantry.monitor.alert.Silence;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.engine.Engine;
import dev.gantry.monitor.engine.EngineCore;
import dev.gantry.monitor.history.HostRates;
import dev.gantry.monitor.history.SeriesHistory;
import dev.gantry.monitor.history.SeriesPoints;
import dev.gantry.monitor.query.Query;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The monitor's part of the web server, all behind the admin token:
 * <ul>
 *   <li>{@code GET /monitor}: the dashboard (hosts by services, alerts, silences, query box);</li>
 *   <li>{@code POST /events}: newline-delimited JSON events;</li>
 *   <li>{@code /index?query=...&subscribe=true}: WebSocket, or SSE with
 *       {@code Accept: text/event-stream}: the matching indexed events, then every change;</li>
 *   <li>{@code GET /monitor/api/history?host=&service=} (or {@code ?query=}): the metric's
 *       points over the history's window, for charts; {@code GET /monitor/api/rates}: events
 *       per second of each host over the last minutes;</li>
 *   <li>{@code GET /monitor/api/events?query=}, {@code GET /monitor/api/alerts},
 *       {@code GET|POST /monitor/api/silences}, {@code DELETE /monitor/api/silences/{id}}.</li>
 * </ul>
 */
public final class MonitorWeb implements WebComponent {
  private static final int MAX_BODY = 16 << 20;

  /** Most series one history request answers with. */
  static final int MAX_CHART_SERIES = 20;

  private final Engine engine;
  private final Clock clock;
  private final SeriesHistory history;
  private final HostRates rates;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  /** The web part of the monitor run by {@code engine}; {@code history} and {@code rates} are fed by its index. */
  public MonitorWeb(Engine engine, Clock clock, SeriesHistory history, HostRates rates) {
    this.engine = engine;
    this.clock = clock;
    this.history = history;
    this.rates = rates;
  }

  @Override
  public Optional<NavItem> nav() {
    return Optional.of(new NavItem("Monitor", "/monitor"));
  }

  @Override
  public void register(Web web) {
    var app = web.app();
    // open subscriptions would hold the server's graceful stop until its timeout: end them first
    app.events(e -> e.serverStopping(this::endSubscriptions));
    app.get("/monitor", ctx -> {
      if (!web.auth().isAdmin(ctx)) {
        ctx.status(HttpStatus.UNAUTHORIZED).html(web.layout().page("Monitor", "/monitor",
            "<h1>Monitor</h1><p>Sign in with the admin token to see the dashboard.</p>"));
        return;
      }
      ctx.html(web.layout().page("Monitor", "/monitor", DashboardPage.body(engine.core().index().defaultTtlSeconds())));
    });
    app.get("/monitor/api/events", ctx -> api(web, ctx, () -> {
      String q = Optional.ofNullable(ctx.queryParam("query")).orElse("true");
      List<Event> found = call(core -> core.query(q));
      return EventJson.writeAll(found);
    }));
    app.get("/monitor/api/history", ctx -> api(web, ctx, () -> history(
        HistoryRequest.parse(ctx.queryParam("host"), ctx.queryParam("service"), ctx.queryParam("query")))));
    app.get("/monitor/api/rates", ctx -> api(web, ctx, () -> call(core -> HistoryJson.rates(rates.rates()))));
    app.get("/monitor/api/alerts", ctx -> api(web, ctx, () -> call(core -> alertsJson(core.book()))));
    app.get("/monitor/api/silences", ctx -> api(web, ctx, () -> call(core -> silencesJson(core.book().silences()))));
    app.post("/monitor/api/silences", ctx -> api(web, ctx, () -> createSilence(ctx)));
    app.delete("/monitor/api/silences/{id}", ctx -> api(web, ctx, () -> {
      String id = ctx.pathParam("id");
      boolean removed = call(core -> core.withBook(b -> b.expireSilence(id)));
      if (!removed) {
        throw new UserError("no silence with id '" + id + "'");
      }
      return "{\"expired\":\"" + id + "\"}";
    }));
    app.post("/events", ctx -> api(web, ctx, () -> postEvents(ctx)));
    SseHandler sse = new SseHandler(this::sse);
    app.get("/index", ctx -> {
      web.auth().requireAdmin(ctx);
      String accept = ctx.header("Accept");
      if (accept == null || !accept.contains("text/event-stream")) {
        ctx.status(HttpStatus.BAD_REQUEST).result("/index streams events: open a WebSocket, or send Accept: text/event-stream");
        return;
      }
      sse.handle(ctx);
    });
    app.wsBeforeUpgrade("/index", ctx -> web.auth().requireAdmin(ctx));
    app.ws("/index", ws -> {
      ws.onConnect(this::wsConnect);
      ws.onClose(c -> unsubscribe(c.attribute("subscription")));
      ws.onError(c -> unsubscribe(c.attribute("subscription")));
    });
  }

  private interface Body {
    String get() throws Exception;
  }

  private void api(Web web, Context ctx, Body body) {
    web.auth().requireAdmin(ctx);
    try {
      ctx.contentType("application/json").result(body.get());
    } catch (UserError e) {
      ctx.status(HttpStatus.BAD_REQUEST).contentType("application/json")
          .result(EventJson.JSON.createObjectNode().put("error", e.getMessage()).toString());
    } catch (Exception e) {
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).contentType("application/json")
          .result(EventJson.JSON.createObjectNode().put("error", "monitor unavailable: " + e.getMessage()).toString());
    }
  }

  private <T> T call(Function<EngineCore, T> f) throws Exception {
    try {
      return engine.call(f).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UserError u) {
        throw u;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the monitor engine did not answer within 10 s");
    }
  }

  private String history(HistoryRequest request) throws Exception {
    return call(core -> switch (request) {
      case HistoryRequest.OneSeries one -> HistoryJson.series(history.points(one.key()).stream().toList(),
          history.limits().window(), false);
      case HistoryRequest.Matching m -> {
        List<SeriesPoints> found = history.matching(m.query(), MAX_CHART_SERIES + 1);
        yield HistoryJson.series(found.subList(0, Math.min(MAX_CHART_SERIES, found.size())), history.limits().window(),
            found.size() > MAX_CHART_SERIES);
      }
    });
  }

  private String postEvents(Context ctx) throws Exception {
    byte[] raw = ctx.bodyAsBytes();
    if (raw.length > MAX_BODY) {
      throw new UserError("body of " + raw.length + " bytes exceeds the maximum of " + MAX_BODY);
    }
    List<Event> events = EventJson.readLines(new String(raw, java.nio.charset.StandardCharsets.UTF_8),
        EngineCore.micros(clock.instant()));
    if (events.isEmpty()) {
      return "{\"accepted\":0}";
    }
    var done = new java.util.concurrent.CompletableFuture<dev.gantry.monitor.client.proto.Msg>();
    if (!engine.submitEvents(events, done::complete)) {
      throw new IllegalStateException("overloaded, " + events.size() + " events refused; retry later");
    }
    var reply = done.get(30, TimeUnit.SECONDS);
    if (reply.failed()) {
      throw new IllegalStateException(reply.error());
    }
    return "{\"accepted\":" + events.size() + "}";
  }

  private String createSilence(Context ctx) throws Exception {
    JsonNode body;
    try {
      body = EventJson.JSON.readTree(ctx.body());
    } catch (Exception e) {
      throw new UserError("silence: the body must be JSON {\"query\":..., \"duration\":\"2h\", \"comment\":...}");
    }
    if (body == null || !body.hasNonNull("query")) {
      throw new UserError("silence: 'query' is required, e.g. {\"query\":\"host = \\\"web1\\\"\",\"duration\":\"2h\"}");
    }
    String query = body.get("query").asText();
    Query.parse(query);
    Duration d = Durations.parse(body.hasNonNull("duration") ? body.get("duration").asText() : null, "silence duration");
    String comment = body.hasNonNull("comment") ? body.get("comment").asText() : "";
    String author = body.hasNonNull("author") ? body.get("author").asText() : "";
    Instant now = clock.instant();
    Silence s = call(core -> core.withBook(b -> b.silence(query, now, now.plus(d), comment, author)));
    return silenceJson(s).toString();
  }

  static String alertsJson(AlertBook book) {
    ArrayNode a = EventJson.JSON.createArrayNode();
    Instant now = Instant.now();
    for (Alert al : book.alerts()) {
      ObjectNode n = a.addObject();
      n.put("name", al.name());
      n.put("host", al.host());
      n.put("service", al.service());
      n.put("status", al.status().name().toLowerCase(java.util.Locale.ROOT));
      n.put("severity", al.severity());
      n.put("summary", al.summary());
      if (al.metric() != null) {
        n.put("metric", al.metric());
      }
      n.put("activeSince", String.valueOf(al.activeSince()));
      n.put("firingSince", al.firingSince() == null ? null : al.firingSince().toString());
      n.put("resolvedAt", al.resolvedAt() == null ? null : al.resolvedAt().toString());
      n.put("silenced", book.silenced(al, now));
    }
    return a.toString();
  }

  static String silencesJson(List<Silence> silences) {
    ArrayNode a = EventJson.JSON.createArrayNode();
    silences.forEach(s -> a.add(silenceJson(s)));
    return a.toString();
  }

  static ObjectNode silenceJson(Silence s) {
    ObjectNode n = EventJson.JSON.createObjectNode();
    n.put("id", s.id());
    n.put("query", s.query());
    n.put("startsAt", s.startsAt().toString());
    n.put("endsAt", s.endsAt().toString());
    n.put("comment", s.comment());
    n.put("author", s.author());
    return n;
  }

  /** {@code end} ends the client's connection when the server stops. */
  private Subscription subscribe(String queryText, java.util.function.Consumer<String> send, Runnable end) throws Exception {
    Query q = Query.parse(queryText == null || queryText.isBlank() ? "true" : queryText);
    Subscription s = new Subscription(q, send, end);
    call(core -> {
      s.seed(core.index().events());
      core.index().addListener(s);
      return null;
    });
    subscriptions.add(s);
    s.start();
    return s;
  }

  private void unsubscribe(Subscription s) {
    if (s != null && subscriptions.remove(s)) {
      s.close();
      engine.call(core -> {
        core.index().removeListener(s);
        return null;
      });
    }
  }

  private void wsConnect(WsContext ws) {
    try {
      Subscription s = subscribe(ws.queryParam("query"), ws::send, () -> ws.closeSession(1001, "server stopping"));
      ws.attribute("subscription", s);
      ws.enableAutomaticPings(15, TimeUnit.SECONDS, null);
    } catch (UserError e) {
      ws.closeSession(4400, e.getMessage().length() > 120 ? e.getMessage().substring(0, 120) : e.getMessage());
    } catch (Exception e) {
      ws.closeSession(1011, "monitor unavailable");
    }
  }

  private void sse(SseClient client) {
    client.keepAlive();
    try {
      Subscription s = subscribe(client.ctx().queryParam("query"), json -> {
        if (client.terminated()) {
          throw new IllegalStateException("client gone");
        }
        client.sendEvent("event", json);
      }, client::close);
      client.onClose(() -> unsubscribe(s));
    } catch (UserError e) {
      client.sendEvent("error", e.getMessage());
      client.close();
    } catch (Exception e) {
      client.sendEvent("error", "monitor unavailable");
      client.close();
    }
  }

  private void endSubscriptions() {
    subscriptions.forEach(Subscription::end);
    closeSubscriptions();
  }

  /** Ends every WebSocket and SSE subscription (server shutdown). */
  public void closeSubscriptions() {
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
  }

  @Override
  public void close() {
    closeSubscriptions();
  }

}
