package dev.gantry.deploy.testing;

import dev.gantry.deploy.model.Frontend;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The two-service test system: an app with an event volume behind nginx, and a db with its own volume. */
public final class Systems {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Systems() {}

  public static final String INSPECT =
      "awk -v s=\"$GANTRY_SINCE_EPOCH\" '$1 >= s {print $2}' /data/events/events.log 2>/dev/null; true";

  public static GantrySystem capital(int schema, int frontendPort) {
    return GantrySystem.named("capital")
        .service("db", s -> s.image(TestImages.DB).port(7000).volume("dbdata", "/var/lib/db")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).retries(3)))
        .service("app", s -> s.image(TestImages.APP).port(8080).dependsOn("db")
            .volume("events", "/data/events").env("APP_MODE", "production")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500)).retries(3))
            .eventSchema(schema).harmlessEvents("UserLoggedIn", "UserLoggedOut")
            .inspect(INSPECT)
            .anonymizer("sed -i 's/@[a-z.]*/@example.invalid/g' /data/events/users.txt 2>/dev/null; true"))
        .frontend(Frontend.nginx().image(TestImages.NGINX).listen(frontendPort).route("/", "app:8080"));
  }

  /** GET on loopback: the status code, a space, and the body without surrounding blanks. */
  public static String fetch(int port, String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body().strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("GET 127.0.0.1:" + port + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
