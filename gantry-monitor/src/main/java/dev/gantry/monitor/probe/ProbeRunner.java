package dev.gantry.monitor.probe;

import dev.gantry.core.UserError;
import dev.gantry.core.tls.ServerTrust;
import dev.gantry.monitor.client.Event;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the declared HTTP probes on their intervals and hands their results, as events, to
 * the engine. Requests are asynchronous; a slow target never delays another probe.
 */
public final class ProbeRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

  private final Consumer<List<Event>> sink;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("gantry-monitor-probes").unstarted(r));
  private final Map<String, ScheduledFuture<?>> scheduled = new HashMap<>();

  public ProbeRunner(Consumer<List<Event>> sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /** Replaces the running probes with {@code probes}. */
  public synchronized void replace(List<HttpProbe> probes) {
    scheduled.values().forEach(f -> f.cancel(false));
    scheduled.clear();
    for (HttpProbe p : probes) {
      if (scheduled.containsKey(p.name())) {
        throw new UserError("probe '" + p.name() + "' is declared twice; name one with .named(\"...\")");
      }
      HttpClient client = client(p);
      scheduled.put(p.name(), timer.scheduleAtFixedRate(() -> Thread.startVirtualThread(() -> runOnce(p, client)), 0, p.interval().toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** Runs {@code p} once and returns its events (used by the scheduler and by tests). */
  public static List<Event> check(HttpProbe p, HttpClient client, Clock clock) {
    long start = System.nanoTime();
    Instant at = clock.instant();
    List<Event> out = new ArrayList<>();
    float ttl = (float) Math.max(60, p.interval().toSeconds() * 3);
    Event.Builder main = Event.builder().host(p.url().getHost()).service(p.service()).time(at).ttl(ttl)
        .tags("probe", "http").attribute("url", p.url().toString());
    try {
      HttpRequest req = HttpRequest.newBuilder(p.url()).timeout(p.timeout()).GET()
          .header("User-Agent", "gantry-monitor-probe").build();
      HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
      double ms = (System.nanoTime() - start) / 1e6;
      main.metric(ms).attribute("status", Integer.toString(resp.statusCode()));
      if (resp.statusCode() != p.expectedStatus()) {
        main.state("critical").description("HTTP " + resp.statusCode() + ", expected " + p.expectedStatus());
      } else if (p.expectedBody() != null && !resp.body().contains(p.expectedBody())) {
        main.state("critical").description("the body does not contain '" + p.expectedBody() + "'");
      } else {
        main.state("ok").description(String.format(java.util.Locale.ROOT, "HTTP %d in %.0f ms", resp.statusCode(), ms));
      }
      resp.sslSession().ifPresent(s -> out.add(certEvent(p, s, at, ttl)));
    } catch (java.net.http.HttpTimeoutException e) {
      main.state("critical").description("no answer within " + p.timeout().toMillis() + " ms");
    } catch (java.io.IOException e) {
      main.state("critical").description("request failed: " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    out.add(0, main.build());
    return out;
  }

  private static Event certEvent(HttpProbe p, SSLSession session, Instant at, float ttl) {
    Event.Builder b = Event.builder().host(p.url().getHost()).service(p.service() + " tls cert days").time(at).ttl(ttl)
        .tags("probe", "tls");
    try {
      Certificate[] chain = session.getPeerCertificates();
      X509Certificate leaf = (X509Certificate) chain[0];
      double days = Duration.between(at, leaf.getNotAfter().toInstant()).toSeconds() / 86400.0;
      String state = days <= 0 || days < p.certCriticalDays() ? "critical" : days < p.certWarnDays() ? "warning" : "ok";
      return b.metric(days).state(state).description(String.format(java.util.Locale.ROOT,
          "certificate of %s expires %s (%.1f days)", p.url().getHost(), leaf.getNotAfter().toInstant(), days)).build();
    } catch (Exception e) {
      return b.state("critical").description("no peer certificate: " + e.getMessage()).build();
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private void runOnce(HttpProbe p, HttpClient client) {
    try {
      List<Event> events = check(p, client, clock);
      if (!events.isEmpty()) {
        sink.accept(events);
      }
    } catch (RuntimeException e) {
      log.warn("probe '{}' failed: {}", p.name(), e.toString());
    }
  }

  /** An HTTP client for {@code p}: the system's trust, or only the probe's CA if it names one. */
  public static HttpClient client(HttpProbe p) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(p.timeout()).followRedirects(HttpClient.Redirect.NEVER);
    if (p.trustedCa() != null) {
      b.sslContext(sslTrusting(p));
    }
    return b.build();
  }

  private static SSLContext sslTrusting(HttpProbe p) {
    try {
      return ServerTrust.of(p.trustedCa(), null).sslContext();
    } catch (UserError e) {
      throw new UserError("probe '" + p.name() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    scheduled.values().forEach(f -> f.cancel(true));
    timer.shutdownNow();
  }
}
