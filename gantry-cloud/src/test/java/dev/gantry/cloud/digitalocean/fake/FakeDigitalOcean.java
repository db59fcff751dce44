package dev.gantry.cloud.digitalocean.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A local server that behaves like the DigitalOcean API v2 for tests, on 127.0.0.1. Every
 * request it receives and every response it sends is checked against the official OpenAPI
 * description; {@link #violations()} lists what did not conform. Faults (429, 5xx, slow
 * answers) can be queued for the next matching request.
 *
 * <pre>{@code
 * try (var fake = FakeDigitalOcean.start()) {
 *   var client = DigitalOceanClient.builder().baseUri(fake.uri()).token(ApiToken.of(fake.token(), "test")).build();
 *   ...
 *   assertThat(fake.violations()).isEmpty();
 * }
 * }</pre>
 */
public final class FakeDigitalOcean implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiContract CONTRACT = OpenApiContract.load(OpenApiContract.locate());

  /** One exchange as the server saw it. */
  public record Exchange(String method, String path, Map<String, List<String>> query, JsonNode body,
      int status, String authorization) {}

  private record Fault(String method, Pattern path, int status, Map<String, String> headers, String id,
      String message, Duration delay) {}

  private final HttpServer server;
  private final String token = "dop_v1_fake_" + Long.toHexString(System.nanoTime());
  private final FakeApi api;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();

  private FakeDigitalOcean(HttpServer server) {
    this.server = server;
    this.api = new FakeApi("https://api.digitalocean.com");
  }

  /** Starts on a free loopback port. */
  public static FakeDigitalOcean start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeDigitalOcean fake = new FakeDigitalOcean(s);
      s.createContext("/", fake::handle);
      s.setExecutor(Executors.newFixedThreadPool(4));
      s.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake DigitalOcean API", e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The one token the server accepts. */
  public String token() {
    return token;
  }

  /** The resources behind the API, to seed and inspect. */
  public FakeApi api() {
    return api;
  }

  /** Every request and response that did not conform to the description. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** Exchanges for one method and path (exact, without the query). */
  public List<Exchange> exchanges(String method, String path) {
    return exchanges.stream().filter(e -> e.method.equals(method) && e.path.equals(path)).toList();
  }

  /** The next request matching {@code method} and the path regex answers {@code status} with an error body. */
  public void failNext(String method, String pathRegex, int status, Map<String, String> headers, String id, String message) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), status, headers, id, message, Duration.ZERO));
  }

  /** The next matching request is answered normally, but only after {@code delay}. */
  public void delayNext(String method, String pathRegex, Duration delay) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), 0, Map.of(), null, null, delay));
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      Map<String, List<String>> query = parseQuery(ex.getRequestURI().getRawQuery());
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = null;
      FakeApi.Reply reply;
      if (raw.length > 0) {
        try {
          body = JSON.readTree(raw);
        } catch (IOException e) {
          violations.add(method + " " + path + ": the body is not JSON");
        }
      }
      List<String> requestProblems = CONTRACT.checkRequest(method, path, query,
          auth != null && auth.startsWith("Bearer "), body);
      violations.addAll(requestProblems);
      Fault fault = takeFault(method, path);
      if (fault != null && !fault.delay.isZero()) {
        sleep(fault.delay);
        fault = null;
      }
      if (auth == null || !auth.equals("Bearer " + token)) {
        reply = FakeApi.error(401, "unauthorized", "Unable to authenticate you.");
      } else if (fault != null) {
        reply = FakeApi.error(fault.status, fault.id, fault.message).withHeaders(fault.headers);
      } else if (!requestProblems.isEmpty()) {
        reply = FakeApi.error(400, "bad_request", String.join("; ", requestProblems));
      } else {
        reply = api.handle(method, path, query, body);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("ratelimit-limit", "5000");
      headers.put("ratelimit-remaining", "4999");
      headers.put("ratelimit-reset", String.valueOf(System.currentTimeMillis() / 1000 + 60));
      headers.putAll(reply.headers());
      if (reply.status() != 400 || requestProblems.isEmpty()) {
        violations.addAll(CONTRACT.checkResponse(method, path, reply.status(), lower(headers), reply.body()));
      }
      exchanges.add(new Exchange(method, path, query, body, reply.status(), auth));
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      if (reply.body() == null) {
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(reply.status(), -1);
      } else {
        byte[] out = JSON.writeValueAsBytes(reply.body());
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(reply.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (RuntimeException e) {
      violations.add("the fake server failed: " + e);
      ObjectNode err = JSON.createObjectNode().put("id", "server_error").put("message", e.toString());
      byte[] out = JSON.writeValueAsBytes(err);
      ex.sendResponseHeaders(500, out.length);
      ex.getResponseBody().write(out);
    }
  }

  private Fault takeFault(String method, String path) {
    for (Fault f : faults) {
      if (f.method.equals(method) && f.path.matcher(path).matches() && faults.remove(f)) {
        return f;
      }
    }
    return null;
  }

  private static Map<String, String> lower(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return Collections.unmodifiableMap(out);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
