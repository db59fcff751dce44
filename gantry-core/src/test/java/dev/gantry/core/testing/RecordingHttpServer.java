package dev.gantry.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local HTTP receiver for tests: listens on 127.0.0.1, records every request, and answers
 * as programmed (a sequence of statuses, a delay, a function of the request, or held until
 * the test releases it).
 *
 * <pre>{@code
 * try (RecordingHttpServer hook = RecordingHttpServer.start()) {
 *   hook.respond(503, 503, 200);                       // then 200 for the rest
 *   notifier = new WebhookNotifier(hook.uri("/hooks/T000/B000/XXXX"));
 *   ...
 *   List<RecordingHttpServer.Request> got = hook.awaitRequests(3, Duration.ofSeconds(5));
 *   assertThat(got.get(2).json().get("level").asText()).isEqualTo("FAILURE");
 * }
 * }</pre>
 */
public final class RecordingHttpServer implements AutoCloseable {

  /** A request as received. Header names are lower case. */
  public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("the request body is not JSON: " + bodyText(), e);
      }
    }

    /** The first value of a header, any case. */
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
  }

  /** An answer to give. */
  public record Response(int status, Map<String, String> headers, String body, Duration delay) {
    public static Response status(int status) {
      return new Response(status, Map.of(), "", Duration.ZERO);
    }

    public static Response json(int status, String json) {
      return status(status).header("Content-Type", "application/json").body(json);
    }

    public Response header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, h, body, delay);
    }

    public Response body(String text) {
      return new Response(status, headers, text, delay);
    }

    /** Wait this long before answering. */
    public Response after(Duration wait) {
      return new Response(status, headers, body, wait);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Response> scripted = new ArrayDeque<>();
  private Response fallback = Response.status(200).body("ok");
  private Duration delay = Duration.ZERO;
  private Function<Request, Response> handler;
  private CountDownLatch held = new CountDownLatch(0);

  private RecordingHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static RecordingHttpServer start() {
    return start(0);
  }

  /** Starts on {@code port} of 127.0.0.1 (0: any free port). */
  public static RecordingHttpServer start(int port) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      RecordingHttpServer r = new RecordingHttpServer(http);
      http.createContext("/", r::handle);
      http.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // a delayed answer holds up no other
      http.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT} + {@code path}. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + (path.startsWith("/") ? path : "/" + path));
  }

  /** Answers the next requests with these statuses in turn, then as before. */
  public synchronized RecordingHttpServer respond(int... statuses) {
    for (int s : statuses) {
      scripted.add(Response.status(s));
    }
    return this;
  }

  /** Answers the next requests with these responses in turn, then as before. */
  public synchronized RecordingHttpServer respond(Response... responses) {
    scripted.addAll(List.of(responses));
    return this;
  }

  /** The answer once the scripted ones are used up (initially 200 "ok"). */
  public synchronized RecordingHttpServer otherwise(Response response) {
    fallback = response;
    return this;
  }

  /** Waits this long before every answer (a slow receiver). */
  public synchronized RecordingHttpServer delay(Duration wait) {
    delay = wait;
    return this;
  }

  /**
   * Records requests as they come but answers none until {@link #releaseAnswers()}: a receiver
   * that is busy for exactly as long as the test needs, with no clock involved.
   */
  public synchronized RecordingHttpServer holdAnswers() {
    held = new CountDownLatch(1);
    return this;
  }

  /** Lets every held answer (and every later one) go. */
  public synchronized RecordingHttpServer releaseAnswers() {
    held.countDown();
    return this;
  }

  /** Answers with {@code f} instead (scripted responses still come first). */
  public synchronized RecordingHttpServer handler(Function<Request, Response> f) {
    handler = f;
    return this;
  }

  /** Everything received so far, in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits until at least {@code n} requests arrived; fails the test after {@code timeout}. */
  public List<Request> awaitRequests(int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (requests.size() < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + n + " requests within " + timeout + " but got " + requests.size());
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for requests");
        }
      }
      return List.copyOf(requests);
    }
  }

  public synchronized void clear() {
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      URI u = exchange.getRequestURI();
      Request request = new Request(exchange.getRequestMethod(), u.getPath(), u.getRawQuery(), headers, in.readAllBytes());
      Response response;
      Duration wait;
      CountDownLatch gate;
      synchronized (this) {
        requests.add(request);
        notifyAll();
        Response next = scripted.poll();
        response = next != null ? next : handler != null ? handler.apply(request) : fallback;
        wait = delay.plus(response.delay());
        gate = held;
      }
      gate.await();
      if (!wait.isZero()) {
        Thread.sleep(wait);
      }
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    releaseAnswers();
    server.stop(0);
  }
}
