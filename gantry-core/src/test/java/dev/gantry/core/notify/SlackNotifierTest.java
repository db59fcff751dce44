package dev.gantry.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.testing.RecordingHttpServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {

  @Test
  void postsAnIncomingWebhookMessageWithAColouredAttachment() throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("commit", "abc123f");
    fields.put("agent", "linux-1");
    Notification n = new Notification("capital <master> build failed", "step `integration-test` failed & stopped",
        Notification.Level.FAILURE, "http://ci.example.com/runs/42", fields);
    try (RecordingHttpServer slack = RecordingHttpServer.start();
        SlackNotifier notifier = new SlackNotifier(slack.uri("/services/T0/B0/XYZ"), WebhookNotifierTest.FAST)) {
      Delivery d = notifier.send(n).get(10, TimeUnit.SECONDS);

      assertThat(d.delivered()).isTrue();
      assertThat(notifier.describe()).isEqualTo("slack (127.0.0.1)");
      JsonNode body = slack.requests().get(0).json();
      assertThat(body.get("text").asText()).isEqualTo("[FAILURE] capital &lt;master&gt; build failed");
      JsonNode a = body.get("attachments").get(0);
      assertThat(a.get("color").asText()).isEqualTo("#A30200");
      assertThat(a.get("title").asText()).isEqualTo("capital &lt;master&gt; build failed");
      assertThat(a.get("title_link").asText()).isEqualTo("http://ci.example.com/runs/42");
      assertThat(a.get("text").asText()).isEqualTo("step `integration-test` failed &amp; stopped");
      assertThat(a.get("fallback").asText()).startsWith("[FAILURE] capital");
      assertThat(a.get("fields").get(0).get("title").asText()).isEqualTo("commit");
      assertThat(a.get("fields").get(0).get("value").asText()).isEqualTo("abc123f");
      assertThat(a.get("fields").get(0).get("short").asBoolean()).isTrue();
      assertThat(a.get("fields").get(1).get("title").asText()).isEqualTo("agent");
    }
  }

  @Test
  void colourFollowsTheLevelAndEmptyPartsAreLeftOut() {
    assertThat(SlackNotifier.payload(Notification.of(Notification.Level.SUCCESS, "ok", "")).get("attachments").get(0)
        .get("color").asText()).isEqualTo("#2EB886");
    assertThat(SlackNotifier.colour(Notification.Level.WARNING)).isEqualTo("#DAA038");
    assertThat(SlackNotifier.colour(Notification.Level.INFO)).isEqualTo("#439FE0");
    JsonNode a = SlackNotifier.payload(Notification.of(Notification.Level.INFO, "hi", "")).get("attachments").get(0);
    assertThat(a.has("text")).isFalse();
    assertThat(a.has("title_link")).isFalse();
    assertThat(a.has("fields")).isFalse();
  }
}
