package capital.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * Capital's event service, the example application: users log in and out and place orders;
 * every action is an event in the {@link EventStore}. Commands:
 * <pre>
 * app serve [--port 8080] [--data /data/events]      the HTTP service
 * app events --since 2026-01-01T00:00:00Z [--data D]  types of the events written since, one per line
 * app anonymize [D]                                   replace every e-mail address in the data
 * </pre>
 * HTTP: {@code GET /health}, {@code POST /login?user=}, {@code POST /logout?user=},
 * {@code POST /orders?user=&amount=}, {@code GET /events?since=}, {@code GET /}.
 */
public final class App {
  private App() {}

  public static void main(String[] args) throws IOException {
    int code = run(args, System.out, System.err, System.getenv());
    if (code != SERVING) {
      System.exit(code);
    }
  }

  /** What {@link #run} returns once the HTTP service is up: the process stays to serve. */
  static final int SERVING = -1;

  /** Runs a command; returns its exit code (2 for a usage mistake, with the reason on {@code err}) or {@link #SERVING}. */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws IOException {
    String cmd = args.length == 0 ? "serve" : args[0];
    Map<String, String> opts;
    try {
      opts = options(args);
    } catch (IllegalArgumentException e) {
      err.println("app: " + e.getMessage());
      return 2;
    }
    Path data = Path.of(opts.getOrDefault("data", env.getOrDefault("APP_DATA", "/data/events")));
    try {
      switch (cmd) {
        case "serve" -> {
          int port = Integer.parseInt(opts.getOrDefault("port", env.getOrDefault("APP_PORT", "8080")));
          HttpServer s = serve(EventStore.open(data), port, Riemann.fromEnv(env), env.getOrDefault("APP_RELEASE", "dev"));
          out.println("capital events: schema " + Schema.VERSION + ", listening on port " + s.getAddress().getPort() + ", data in " + data);
          return SERVING;
        }
        case "events" -> {
          String since = opts.get("since");
          if (since == null) {
            err.println("app events: --since TIME is required (ISO-8601, e.g. 2026-01-01T00:00:00Z)");
            return 2;
          }
          for (Event e : EventStore.open(data).since(Instant.parse(since))) {
            out.println(e.type());
          }
          return 0;
        }
        case "anonymize" -> {
          Path dir = args.length > 1 && !args[1].startsWith("--") ? Path.of(args[1]) : data;
          EventStore store = EventStore.open(dir);
          Anonymizer a = new Anonymizer();
          store.rewrite(a::apply);
          out.println("anonymized " + store.all().size() + " events in " + dir);
          return 0;
        }
        default -> {
          err.println("app: unknown command '" + cmd + "' (serve, events, anonymize)");
          return 2;
        }
      }
    } catch (DateTimeParseException e) {
      err.println("app: not an ISO-8601 time: " + e.getParsedString());
      return 2;
    } catch (NumberFormatException e) {
      err.println("app: not a number: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println("app: " + e.getMessage());
      return 1;
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        m.put(args[i].substring(2), args[++i]);
      }
    }
    return m;
  }

  /** Starts the HTTP service on {@code port} (0 for any) and returns it. */
  public static HttpServer serve(EventStore store, int port, Riemann riemann, String release) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      long t0 = System.nanoTime();
      int status;
      try {
        status = handle(ex, store, release);
      } catch (RuntimeException e) {
        status = reply(ex, 500, "text/plain", "error: " + e.getMessage() + "\n");
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      riemann.send("capital http", ms, status >= 500 ? "critical" : "ok", "status", Integer.toString(status));
    });
    server.start();
    return server;
  }

  private static int handle(HttpExchange ex, EventStore store, String release) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    switch (path) {
      case "/health" -> {
        return reply(ex, 200, "application/json", "{\"status\":\"ok\",\"schema\":" + Schema.VERSION + ",\"release\":\"" + release + "\"}\n");
      }
      case "/login", "/logout", "/orders" -> {
        if (!method.equals("POST")) {
          return reply(ex, 405, "text/plain", path + " takes POST\n");
        }
        String user = q.get("user");
        if (user == null || user.isBlank()) {
          return reply(ex, 400, "text/plain", "user is required\n");
        }
        String type = switch (path) {
          case "/login" -> "UserLoggedIn";
          case "/logout" -> "UserLoggedOut";
          default -> "OrderPlaced";
        };
        Map<String, String> fields = new TreeMap<>();
        if (type.equals("OrderPlaced")) {
          String amount = q.get("amount");
          if (amount == null || !amount.matches("\\d{1,9}(\\.\\d{1,2})?")) {
            return reply(ex, 400, "text/plain", "amount must be a number like 12.50\n");
          }
          fields.put("amount", amount);
        }
        store.append(Event.now(type, user, fields));
        return reply(ex, 201, "text/plain", type + "\n");
      }
      case "/events" -> {
        Instant since;
        try {
          since = Instant.parse(q.getOrDefault("since", "1970-01-01T00:00:00Z"));
        } catch (DateTimeParseException e) {
          return reply(ex, 400, "text/plain", "since must be an ISO-8601 time\n");
        }
        StringBuilder b = new StringBuilder();
        store.since(since).forEach(e -> b.append(e.toJson()).append('\n'));
        return reply(ex, 200, "application/x-ndjson", b.toString());
      }
      case "/" -> {
        List<Event> all = store.all();
        Map<String, Long> byType = new TreeMap<>();
        all.forEach(e -> byType.merge(e.type(), 1L, Long::sum));
        StringBuilder b = new StringBuilder("<!doctype html><title>Capital</title><h1>Capital</h1><p>release " + release
            + ", event schema " + Schema.VERSION + ", " + all.size() + " events</p><ul>");
        byType.forEach((t, n) -> b.append("<li>").append(t).append(": ").append(n).append("</li>"));
        return reply(ex, 200, "text/html; charset=utf-8", b.append("</ul>\n").toString());
      }
      default -> {
        return reply(ex, 404, "text/plain", "no such page: " + path + "\n");
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static int reply(HttpExchange ex, int status, String type, String body) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
    return status;
  }
}
