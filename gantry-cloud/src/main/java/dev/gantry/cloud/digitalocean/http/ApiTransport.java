package dev.gantry.cloud.digitalocean.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gantry.core.Gantry;
import dev.gantry.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the DigitalOcean API v2: bearer authentication, a client-side rate
 * limit, request timeouts, retries with back-off on 429 and 5xx, and errors mapped from the
 * API's {@code {"id","message","request_id"}} into a {@link DigitalOceanException} that says
 * what was being done. Logs method, path, status and time, never the token.
 *
 * <pre>{@code
 * ApiTransport api = ApiTransport.builder().token(token).build();
 * JsonNode account = api.get("reading the account", "/v2/account");
 * }</pre>
 */
public final class ApiTransport {
  /** Core's mapper in the API's dialect: snake_case names, and absent fields left out rather than sent as null. */
  private static final ObjectMapper SNAKE_CASE = Json.mapper().copy()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
  private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);
  /** The public API; tests point the client at a local server instead. */
  public static final URI PRODUCTION = URI.create("https://api.digitalocean.com");

  private final URI base;
  private final ApiToken token;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final RetryPolicy retry;
  private final RateLimiter limiter;
  private final Sleeper sleeper;
  private final InstantSource clock;
  private final ObjectMapper json;

  private ApiTransport(Builder b) {
    this.base = stripTrailingSlash(b.base);
    this.token = Objects.requireNonNull(b.token, "token");
    this.requestTimeout = b.requestTimeout;
    this.retry = b.retry;
    this.clock = b.clock;
    this.limiter = b.limiter != null ? b.limiter : RateLimiter.perMinute(250, b.clock);
    this.sleeper = b.sleeper;
    this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.json = mapper();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The JSON mapper for the API's bodies (shared; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return SNAKE_CASE;
  }

  public ObjectMapper json() {
    return json;
  }

  /** The API's base, e.g. {@code https://api.digitalocean.com}. */
  public URI base() {
    return base;
  }

  public JsonNode get(String what, String pathAndQuery) {
    return send(what, "GET", pathAndQuery, null, true);
  }

  /**
   * POSTs {@code body}. {@code repeatable} says whether a server error may be retried: true for
   * requests whose repetition does no harm (an action on a droplet), false for creates.
   */
  public JsonNode post(String what, String path, Object body, boolean repeatable) {
    return send(what, "POST", path, body, repeatable);
  }

  public JsonNode put(String what, String path, Object body) {
    return send(what, "PUT", path, body, true);
  }

  public JsonNode delete(String what, String path) {
    return send(what, "DELETE", path, null, true);
  }

  /** Sends one request with limits and retries; returns the JSON body (missing on 204). */
  public JsonNode send(String what, String method, String pathAndQuery, Object body, boolean repeatable) {
    if (!pathAndQuery.startsWith("/v2/")) {
      throw new IllegalArgumentException("API paths start with /v2/: " + pathAndQuery);
    }
    String payload = body == null ? null : write(what, body);
    for (int attempt = 1; ; attempt++) {
      pause(what, limiter.reserve());
      long started = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = http.send(request(method, pathAndQuery, payload), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        RetryPolicy.Decision d = retry.decideOnIoFailure(attempt, repeatable);
        if (d instanceof RetryPolicy.Decision.Retry r) {
          LOG.debug("{} {} timed out after {}; retrying in {}", method, pathAndQuery, requestTimeout, r.after());
          pause(what, r.after());
          continue;
        }
        throw new DigitalOceanException(what, "no answer within " + requestTimeout.toSeconds() + " s"
            + (repeatable ? "" : " (it may still have happened: check before trying again)"), e);
      } catch (IOException e) {
        // a refused connection never reached the API, so even a create may be sent again
        RetryPolicy.Decision d = retry.decideOnIoFailure(attempt, repeatable || e instanceof ConnectException);
        if (d instanceof RetryPolicy.Decision.Retry r) {
          LOG.debug("{} {} failed ({}); retrying in {}", method, pathAndQuery, e.toString(), r.after());
          pause(what, r.after());
          continue;
        }
        throw new DigitalOceanException(what, "cannot reach " + base + ": " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DigitalOceanException(what, "interrupted", e);
      }
      int status = response.statusCode();
      LOG.debug("{} {} -> {} in {} ms (attempt {})", method, pathAndQuery, status,
          (System.nanoTime() - started) / 1_000_000, attempt);
      limiter.observe(header(response, "ratelimit-remaining"), header(response, "ratelimit-reset"));
      if (status >= 200 && status < 300) {
        return parse(what, response);
      }
      RetryPolicy.Decision d = retry.decide(attempt, status, name -> header(response, name), repeatable, clock.instant());
      if (d instanceof RetryPolicy.Decision.Retry r) {
        LOG.info("DigitalOcean answered {} to {} {}; retrying in {} ms", status, method, pathAndQuery, r.after().toMillis());
        pause(what, r.after());
        continue;
      }
      throw error(what, response, RetryPolicy.retryable(status) ? ((RetryPolicy.Decision.GiveUp) d).reason() : null);
    }
  }

  private HttpRequest request(String method, String pathAndQuery, String payload) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + token.reveal())
        .header("Accept", "application/json")
        .header("User-Agent", "gantry/" + Gantry.version());
    if (payload != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(payload));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private JsonNode parse(String what, HttpResponse<String> response) {
    String text = response.body();
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DigitalOceanException(what, "the API answered HTTP " + response.statusCode()
          + " with a body that is not JSON", e);
    }
  }

  private DigitalOceanException error(String what, HttpResponse<String> response, String retryNote) {
    String id = null;
    String message = null;
    String requestId = header(response, "x-request-id").orElse(null);
    String text = response.body();
    try {
      JsonNode body = text == null || text.isBlank() ? MissingNode.getInstance() : json.readTree(text);
      id = textOf(body, "id");
      message = textOf(body, "message");
      requestId = Optional.ofNullable(textOf(body, "request_id")).orElse(requestId);
    } catch (JsonProcessingException e) {
      message = "(the error body is not JSON)";
    }
    if (retryNote != null) {
      message = (message == null ? "" : message + "; ") + retryNote;
    }
    return new DigitalOceanException(what, response.statusCode(), id, message, requestId);
  }

  private String write(String what, Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new DigitalOceanException(what, "cannot encode the request body", e);
    }
  }

  private void pause(String what, Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigitalOceanException(what, "interrupted", e);
    }
  }

  private static String textOf(JsonNode body, String field) {
    JsonNode n = body.path(field);
    return n.isTextual() ? n.asText() : null;
  }

  private static Optional<String> header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name);
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static URI stripTrailingSlash(URI u) {
    String s = u.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
  }

  /** Settings of a transport; only the token is required. */
  public static final class Builder {
    private URI base = PRODUCTION;
    private ApiToken token;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private RetryPolicy retry = RetryPolicy.defaults();
    private RateLimiter limiter;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private InstantSource clock = InstantSource.system();

    public Builder baseUri(URI base) {
      this.base = Objects.requireNonNull(base, "base");
      return this;
    }

    public Builder token(ApiToken token) {
      this.token = token;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder rateLimiter(RateLimiter limiter) {
      this.limiter = limiter;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    public ApiTransport build() {
      return new ApiTransport(this);
    }
  }
}
