package dev.gantry.ci.agent;

import dev.gantry.ci.api.AgentHello;
import dev.gantry.ci.api.AgentPaths;
import dev.gantry.ci.api.HeartbeatReply;
import dev.gantry.ci.api.JobOffer;
import dev.gantry.ci.api.PrepareReport;
import dev.gantry.ci.api.RunResult;
import dev.gantry.ci.api.Json;
import dev.gantry.core.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/** The agent's side of the agent protocol, over HTTP with the agent token. */
final class ServerClient {
  private final AgentSettings settings;
  private final HttpClient http;

  ServerClient(AgentSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .sslContext(settings.trust().sslContext(settings.certificate().map(ClientCertificate::keyManagers).orElse(null)))
        .build();
  }

  Optional<JobOffer> poll(AgentHello hello) throws IOException, InterruptedException {
    HttpResponse<String> r = post(AgentPaths.POLL, Json.write(hello), Duration.ofSeconds(90));
    if (r.statusCode() == 204) {
      return Optional.empty();
    }
    check(r, "asking for work");
    return Optional.of(Json.read(r.body(), JobOffer.class));
  }

  HeartbeatReply heartbeat(AgentHello hello) throws IOException, InterruptedException {
    HttpResponse<String> r = post(AgentPaths.HEARTBEAT, Json.write(hello), Duration.ofSeconds(15));
    check(r, "heartbeat");
    return Json.read(r.body(), HeartbeatReply.class);
  }

  /** False when the server no longer wants this run (cancelled, lost): stop it. */
  boolean log(long run, long seq, String text) throws IOException, InterruptedException {
    HttpResponse<String> r = post(AgentPaths.log(run), text, Duration.ofSeconds(15), AgentPaths.LOG_SEQ_HEADER, Long.toString(seq));
    if (r.statusCode() == 409) {
      return false;
    }
    check(r, "sending the log of run " + run);
    return true;
  }

  void prepared(long run, PrepareReport report) throws IOException, InterruptedException {
    HttpResponse<String> r = post(AgentPaths.prepared(run), Json.write(report), Duration.ofSeconds(15));
    if (r.statusCode() != 409) {
      check(r, "reporting run " + run);
    }
  }

  void finished(long run, RunResult result) throws IOException, InterruptedException {
    HttpResponse<String> r = post(AgentPaths.finished(run), Json.write(result), Duration.ofSeconds(15));
    if (r.statusCode() != 409) {
      check(r, "reporting run " + run);
    }
  }

  private HttpResponse<String> post(String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(settings.server() + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + settings.token())
        .header("X-Gantry-Agent", settings.name())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (SSLHandshakeException e) {
      // a server this agent must not believe: retrying would not change its certificate
      throw new AgentRefused("the server at " + settings.server() + " presented a certificate that "
          + settings.trust().describe() + " does not vouch for (" + rootMessage(e) + "); check --ca or --pin");
    }
  }

  /** The innermost cause's words; an expired certificate says so. */
  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof CertificateExpiredException ? "the certificate has expired: " + t.getMessage() : t.getMessage();
  }

  private void check(HttpResponse<String> r, String what) {
    if (r.statusCode() == 401) {
      throw new AgentRefused("the server " + settings.server() + " refused the agent token (401) while " + what);
    }
    if (r.statusCode() == 403) {
      throw new AgentRefused("the server " + settings.server() + " refused this agent (403) while " + what + ": "
          + r.body() + offered());
    }
    if (r.statusCode() / 100 != 2) {
      throw new UserError("the server answered " + r.statusCode() + " while " + what + ": " + r.body());
    }
  }

  /**
   * What the agent offered, when a server refuses it: the JDK's TLS presents only a certificate
   * issued by a CA the server names, so "none received" means another CA issued this one.
   */
  private String offered() {
    return settings.certificate().map(c -> " (this agent has " + c.describe() + " from " + c.certificate()
        + ", which the server does not accept: is it from the team CA the server requires?)").orElse("");
  }

  /** The server does not accept this agent: stop instead of retrying. */
  static final class AgentRefused extends UserError {
    private static final long serialVersionUID = 1L;

    AgentRefused(String m) {
      super(m);
    }
  }
}
