package dev.gantry.core.notify;

import dev.gantry.core.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts a JSON body to a URL, treating 2xx as delivered, 429 and 5xx and network trouble as
 * worth another try, and any other status as a refusal. The URL is a secret: only its host
 * appears in descriptions, logs and details.
 */
public abstract class HttpNotifier extends QueuedNotifier {
  private final URI target;
  private final HttpClient client;

  protected HttpNotifier(String kind, URI target, RetryPolicy retry, int capacity) {
    super(Redact.describe(kind, checked(kind, target)), retry, capacity);
    this.target = target;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(retry.requestTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static URI checked(String kind, URI target) {
    String scheme = target.getScheme();
    if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || target.getHost() == null) {
      throw new UserError(kind + " notifier: the webhook must be an http(s):// URL with a host");
    }
    return target;
  }

  /** The JSON to post for {@code notification}. */
  protected abstract String body(Notification notification);

  @Override
  protected Attempt attempt(Notification notification) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(target)
        .timeout(retry().requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "gantry")
        .POST(HttpRequest.BodyPublishers.ofString(body(notification)))
        .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return classify(response.statusCode(), response.headers().firstValue("Retry-After"),
          Redact.scrub(response.body(), target));
    } catch (HttpTimeoutException e) {
      return new Attempt.Retryable("no answer within " + retry().requestTimeout().toMillis() + " ms");
    } catch (IOException e) {
      return new Attempt.Retryable(e.getClass().getSimpleName() + ": " + Redact.scrub(e.getMessage(), target));
    }
  }

  /** The decision for an HTTP answer; a pure function of status and headers. */
  static Attempt classify(int status, Optional<String> retryAfter, String body) {
    String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip()));
    if (status >= 200 && status < 300) {
      return new Attempt.Delivered(detail);
    }
    if (status == 429 || status >= 500) {
      return new Attempt.Retryable(detail, retryAfter.flatMap(HttpNotifier::seconds).orElse(null));
    }
    return new Attempt.Permanent(detail);
  }

  private static Optional<Duration> seconds(String retryAfter) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: fall back to our own backoff
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  @Override
  protected void closeResources() {
    client.close();
  }
}
