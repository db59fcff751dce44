package capital.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The application's tests, run by {@code test.sh} with the JDK alone (no test library to
 * fetch, so an agent needs nothing but Java): every static method named {@code test...} runs;
 * a failure prints its reason and the run exits 1.
 */
public final class AppTest {
  public static void main(String[] args) throws Exception {
    List<String> failed = new ArrayList<>();
    int ran = 0;
    for (Method m : AppTest.class.getDeclaredMethods()) {
      if (!m.getName().startsWith("test") || !Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      ran++;
      try {
        m.invoke(null);
        System.out.println("ok   " + m.getName());
      } catch (java.lang.reflect.InvocationTargetException e) {
        failed.add(m.getName());
        System.out.println("FAIL " + m.getName() + ": " + e.getCause());
      }
    }
    System.out.println(ran + " tests, " + failed.size() + " failed");
    System.exit(failed.isEmpty() && ran > 0 ? 0 : 1);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  static void testAnEventReadsBackAsWritten() {
    Event e = new Event(1, Instant.parse("2026-01-02T03:04:05Z"), "OrderPlaced", "a\"b@example.com", Map.of("amount", "12.50", "note", "x\ny"));
    check(Event.parse(e.toJson()).equals(e), "round trip of " + e.toJson());
  }

  static void testABadEventTypeIsRefused() {
    try {
      Event.now("not a type", "u", Map.of());
      check(false, "a type with spaces was accepted");
    } catch (IllegalArgumentException expected) {
      check(expected.getMessage().contains("CamelCase"), expected.getMessage());
    }
  }

  static void testEventsSinceATimeAndTheInspectCommand() throws IOException {
    Path dir = Files.createTempDirectory("events");
    EventStore s = EventStore.open(dir);
    s.append(new Event(1, Instant.parse("2026-01-01T00:00:00Z"), "UserLoggedIn", "a@example.com", Map.of()));
    s.append(new Event(1, Instant.parse("2026-02-01T00:00:00Z"), "OrderPlaced", "a@example.com", Map.of("amount", "3")));
    s.append(new Event(1, Instant.parse("2026-03-01T00:00:00Z"), "UserLoggedOut", "a@example.com", Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = App.run(new String[] {"events", "--since", "2026-01-15T00:00:00Z", "--data", dir.toString()},
        new PrintStream(out), System.err, Map.of());
    check(code == 0, "exit " + code);
    check(out.toString(StandardCharsets.UTF_8).equals("OrderPlaced\nUserLoggedOut\n"), "listed: " + out);
  }

  static void testInspectWithoutSinceIsAUsageError() throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = App.run(new String[] {"events"}, System.out, new PrintStream(err), Map.of("APP_DATA", Files.createTempDirectory("e").toString()));
    check(code == 2 && err.toString().contains("--since"), "exit " + code + ": " + err);
  }

  static void testAStoreOfANewerSchemaIsRefused() throws IOException {
    Path dir = Files.createTempDirectory("events");
    Files.writeString(dir.resolve("events.log"), new Event(Schema.VERSION + 1, Instant.now(), "OrderPlaced", "u", Map.of()).toJson() + "\n");
    try {
      EventStore.open(dir);
      check(false, "a newer schema was opened");
    } catch (IllegalStateException expected) {
      check(expected.getMessage().contains("roll forward"), expected.getMessage());
    }
  }

  static void testTheAnonymizerLeavesNoAddress() throws IOException {
    Path dir = Files.createTempDirectory("events");
    EventStore s = EventStore.open(dir);
    s.append(Event.now("UserLoggedIn", "alice@example.com", Map.of()));
    s.append(Event.now("OrderPlaced", "Alice@Example.com", Map.of("note", "ship to bob@example.org please")));
    int code = App.run(new String[] {"anonymize", dir.toString()}, new PrintStream(new ByteArrayOutputStream()), System.err, Map.of());
    check(code == 0, "exit " + code);
    String data = Files.readString(dir.resolve("events.log"));
    check(!data.contains("alice@") && !data.contains("Alice@") && !data.contains("bob@"), "addresses left: " + data);
    List<Event> events = s.all();
    check(events.get(0).user().equals(events.get(1).user()), "one person, two stand-ins: " + events);
    check(events.size() == 2 && events.get(1).fields().get("note").startsWith("ship to user-"), "note: " + events.get(1).fields());
  }

  static void testTheServiceStoresWhatItIsSentAndSaysItIsHealthy() throws Exception {
    Path dir = Files.createTempDirectory("events");
    var server = App.serve(EventStore.open(dir), 0, Riemann.fromEnv(Map.of()), "test");
    try {
      HttpClient c = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      HttpResponse<String> health = c.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      check(health.statusCode() == 200 && health.body().contains("\"schema\":" + Schema.VERSION), "health: " + health.body());
      HttpResponse<String> login = c.send(HttpRequest.newBuilder(URI.create(base + "/login?user=carol%40example.com"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      check(login.statusCode() == 201, "login: " + login.statusCode());
      HttpResponse<String> bad = c.send(HttpRequest.newBuilder(URI.create(base + "/orders?user=carol&amount=lots"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      check(bad.statusCode() == 400 && bad.body().contains("amount"), "bad order: " + bad.statusCode() + " " + bad.body());
      HttpResponse<String> events = c.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(), HttpResponse.BodyHandlers.ofString());
      check(events.body().contains("\"type\":\"UserLoggedIn\"") && events.body().contains("carol@example.com"), "events: " + events.body());
    } finally {
      server.stop(0);
    }
  }
}
