package dev.gantry.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.core.UserError;
import dev.gantry.core.testing.RecordingHttpServer;
import dev.gantry.core.testing.RecordingHttpServer.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WebhookNotifierTest {
  private static final String SECRET_PATH = "/hooks/T000/B000/s3cr3t-t0ken";
  static final RetryPolicy FAST = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2));
  static final Notification BUILD_FAILED = new Notification("capital: build failed", "integration-test failed",
      Notification.Level.FAILURE, "http://ci.example.com/runs/42", Map.of("commit", "abc123f"));

  private RecordingHttpServer receiver;
  private final List<Notifier> toClose = new ArrayList<>();

  @BeforeEach
  void start() {
    receiver = RecordingHttpServer.start();
  }

  @AfterEach
  void stop() {
    toClose.forEach(Notifier::close);
    receiver.close();
  }

  private WebhookNotifier notifier(URI uri, RetryPolicy retry) {
    WebhookNotifier n = new WebhookNotifier(uri, retry);
    toClose.add(n);
    return n;
  }

  private static Delivery await(CompletableFuture<Delivery> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void postsTheNotificationAsJson() throws Exception {
    Delivery d = await(notifier(receiver.uri(SECRET_PATH), FAST).send(BUILD_FAILED));

    assertThat(d.delivered()).isTrue();
    assertThat(d.attempts()).isEqualTo(1);
    RecordingHttpServer.Request r = receiver.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo(SECRET_PATH);
    assertThat(r.header("content-type")).contains("application/json; charset=utf-8");
    assertThat(r.json().get("title").asText()).isEqualTo("capital: build failed");
    assertThat(r.json().get("text").asText()).isEqualTo("integration-test failed");
    assertThat(r.json().get("level").asText()).isEqualTo("FAILURE");
    assertThat(r.json().get("url").asText()).isEqualTo("http://ci.example.com/runs/42");
    assertThat(r.json().get("fields").get("commit").asText()).isEqualTo("abc123f");
  }

  @Test
  void aReceiverThatIsDownDoesNotBlockTheCallerAndIsRetriedUntilItIsUp() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free again once closed: nothing listens there yet
    }
    // retries for 30 s or more: the receiver below comes up well within that, even on a busy machine
    RetryPolicy patient = new RetryPolicy(300, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1));
    WebhookNotifier n = notifier(URI.create("http://127.0.0.1:" + port + SECRET_PATH), patient);

    CompletableFuture<Delivery> f = n.send(BUILD_FAILED);
    // the send returned although nothing can be delivered yet: it did not wait for the receiver
    assertThat(f).isNotDone();

    Thread.sleep(400); // a few refused attempts
    try (RecordingHttpServer late = RecordingHttpServer.start(port)) {
      Delivery d = await(f);
      assertThat(d.delivered()).isTrue();
      assertThat(d.attempts()).isGreaterThan(1);
      assertThat(late.requests()).hasSize(1);
    }
  }

  @Test
  void aSlowReceiverDoesNotBlockTheCallerAndTimesOutThenIsRetried() throws Exception {
    receiver.respond(Response.status(200).after(Duration.ofSeconds(10)), Response.status(200).after(Duration.ofSeconds(10)));
    RetryPolicy shortWait = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1));
    WebhookNotifier n = notifier(receiver.uri(SECRET_PATH), shortWait);

    CompletableFuture<Delivery> f = n.send(BUILD_FAILED);
    CompletableFuture<Delivery> g = n.send(BUILD_FAILED.withField("second", "yes"));
    // neither send waited: the first delivery cannot end before two 1 s timeouts have passed
    assertThat(f).isNotDone();
    assertThat(g).isNotDone();

    Delivery d = await(f);
    assertThat(d.delivered()).isTrue();
    assertThat(d.attempts()).isEqualTo(3); // two slow answers timed out, the third came at once
    assertThat(await(g).delivered()).isTrue();
    assertThat(receiver.requests()).hasSize(4);
  }

  @Test
  void serverErrorsAndRateLimitsAreRetried() throws Exception {
    receiver.respond(Response.status(503), Response.status(500), Response.status(429).header("Retry-After", "0"));
    Delivery d = await(notifier(receiver.uri(SECRET_PATH), FAST).send(BUILD_FAILED));
    assertThat(d.delivered()).isTrue();
    assertThat(d.attempts()).isEqualTo(4);
    assertThat(receiver.requests()).hasSize(4);
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    receiver.respond(Response.status(429).header("Retry-After", "1"));
    RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(2));
    long start = System.nanoTime();
    Delivery d = await(notifier(receiver.uri(SECRET_PATH), p).send(BUILD_FAILED));
    assertThat(d.delivered()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void aClientErrorIsFinalAndNotRetried() throws Exception {
    receiver.otherwise(Response.status(404).body("no_service"));
    Delivery d = await(notifier(receiver.uri(SECRET_PATH), FAST).send(BUILD_FAILED));
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.detail()).isEqualTo("HTTP 404: no_service");
    Thread.sleep(300);
    assertThat(receiver.requests()).hasSize(1);
  }

  @Test
  void givesUpAfterTheLastAttempt() throws Exception {
    receiver.otherwise(Response.status(502));
    RetryPolicy three = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2));
    WebhookNotifier n = notifier(receiver.uri(SECRET_PATH), three);
    Delivery d = await(n.send(BUILD_FAILED));
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.detail()).startsWith("gave up after 3 attempts: HTTP 502");
    assertThat(n.stats().failed()).isEqualTo(1);
  }

  @Test
  void whenTheQueueIsFullNotificationsAreDroppedAndCountedWithoutBlocking() throws Exception {
    receiver.holdAnswers();
    RetryPolicy patient = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60));
    WebhookNotifier n = new WebhookNotifier(receiver.uri(SECRET_PATH), patient, 2);
    toClose.add(n);
    List<CompletableFuture<Delivery>> sent = new ArrayList<>();
    sent.add(n.send(Notification.of(Notification.Level.INFO, "n0", "")));
    receiver.awaitRequests(1, Duration.ofSeconds(30)); // the worker is busy with n0 until the receiver answers
    for (int i = 1; i < 10; i++) {
      sent.add(n.send(Notification.of(Notification.Level.INFO, "n" + i, "")));
    }

    // n1 and n2 fill the queue; the other seven are dropped at once, while the receiver still holds n0
    assertThat(sent.subList(0, 3)).allSatisfy(f -> assertThat(f).isNotDone());
    assertThat(sent.subList(3, 10)).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(
        d -> d.status() == Delivery.Status.DROPPED, "dropped"));
    assertThat(n.stats().dropped()).isEqualTo(7);

    receiver.releaseAnswers();
    for (CompletableFuture<Delivery> f : sent.subList(0, 3)) {
      assertThat(await(f).delivered()).isTrue();
    }
    assertThat(n.stats().delivered()).isEqualTo(3);
    assertThat(n.stats().dropped()).isEqualTo(7);
  }

  @Test
  void theWebhookUrlNeverAppearsInDescriptionsDetailsOrLogs() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(QueuedNotifier.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      RetryPolicy two = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1));
      WebhookNotifier down = notifier(URI.create("http://127.0.0.1:" + port + SECRET_PATH + "?token=qwerty"), two);
      Delivery d = await(down.send(BUILD_FAILED));
      receiver.otherwise(Response.status(403).body("invalid_token " + receiver.uri(SECRET_PATH)));
      Delivery refused = await(notifier(receiver.uri(SECRET_PATH), two).send(BUILD_FAILED));

      assertThat(down.describe()).isEqualTo("webhook (127.0.0.1)");
      assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(refused.detail()).startsWith("HTTP 403").doesNotContain("s3cr3t");
      assertThat(d.detail()).doesNotContain("s3cr3t").doesNotContain("qwerty");
      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("s3cr3t", "qwerty"));
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void aUrlThatIsNotHttpIsAUserErrorThatDoesNotShowIt() {
    assertThatThrownBy(() -> new WebhookNotifier(URI.create("ftp://example.com/s3cr3t")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("http(s)://")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void closingGivesWhatIsQueuedOneLastTryWithoutWaitingOutTheBackoff() throws Exception {
    receiver.otherwise(Response.status(503));
    RetryPolicy slow = new RetryPolicy(100, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1));
    WebhookNotifier n = new WebhookNotifier(receiver.uri(SECRET_PATH), slow);
    CompletableFuture<Delivery> retrying = n.send(BUILD_FAILED);
    CompletableFuture<Delivery> queued = n.send(BUILD_FAILED);
    receiver.awaitRequests(1, Duration.ofSeconds(30));

    // close() waits for the worker a few seconds at most, then interrupts it: an interrupted
    // worker fails the one being retried with no attempt and drops what is queued. The
    // outcomes below show the worker was woken from its 10 min backoff instead.
    n.close();
    assertThat(await(retrying).status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(await(retrying).attempts()).isPositive();
    assertThat(await(queued).status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(await(queued).attempts()).isEqualTo(1);
    assertThat(receiver.requests()).hasSize(2);
    assertThat(await(n.send(BUILD_FAILED)).status()).isEqualTo(Delivery.Status.DROPPED);
  }

  @Test
  void httpAnswersAreClassified() {
    assertThat(HttpNotifier.classify(200, java.util.Optional.empty(), "ok")).isInstanceOf(Attempt.Delivered.class);
    assertThat(HttpNotifier.classify(204, java.util.Optional.empty(), "")).isInstanceOf(Attempt.Delivered.class);
    assertThat(HttpNotifier.classify(400, java.util.Optional.empty(), "invalid_payload")).isInstanceOf(Attempt.Permanent.class);
    assertThat(HttpNotifier.classify(410, java.util.Optional.empty(), "")).isInstanceOf(Attempt.Permanent.class);
    assertThat(HttpNotifier.classify(301, java.util.Optional.empty(), "")).isInstanceOf(Attempt.Permanent.class);
    assertThat(HttpNotifier.classify(503, java.util.Optional.empty(), "")).isInstanceOf(Attempt.Retryable.class);
    assertThat(HttpNotifier.classify(429, java.util.Optional.of("7"), ""))
        .isEqualTo(new Attempt.Retryable("HTTP 429", Duration.ofSeconds(7)));
    assertThat(HttpNotifier.classify(429, java.util.Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"), ""))
        .isEqualTo(new Attempt.Retryable("HTTP 429", null));
  }
}
