package dev.gantry.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.testing.RecordingHttpServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompositeNotifierTest {

  @Test
  void sendsToAllAndReportsEachOutcome() throws Exception {
    try (RecordingHttpServer a = RecordingHttpServer.start(); RecordingHttpServer b = RecordingHttpServer.start()) {
      b.otherwise(RecordingHttpServer.Response.status(404));
      try (CompositeNotifier all = new CompositeNotifier(List.of(
          new WebhookNotifier(a.uri("/a"), WebhookNotifierTest.FAST),
          new SlackNotifier(b.uri("/b"), WebhookNotifierTest.FAST)))) {
        Delivery d = all.send(WebhookNotifierTest.BUILD_FAILED).get(10, TimeUnit.SECONDS);

        assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.detail()).isEqualTo("webhook (127.0.0.1): delivered (HTTP 200: ok); slack (127.0.0.1): failed (HTTP 404)");
        assertThat(a.requests()).hasSize(1);
        assertThat(b.requests()).hasSize(1);
        assertThat(all.describe()).isEqualTo("webhook (127.0.0.1), slack (127.0.0.1)");

        b.otherwise(RecordingHttpServer.Response.status(200));
        assertThat(all.send(WebhookNotifierTest.BUILD_FAILED).get(10, TimeUnit.SECONDS).delivered()).isTrue();
      }
    }
  }
}
