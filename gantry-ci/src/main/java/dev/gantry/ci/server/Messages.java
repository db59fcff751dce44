package dev.gantry.ci.server;

import dev.gantry.ci.queue.Effect;
import dev.gantry.ci.queue.Patch;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notification.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/** Words for the outcomes the queue announces. */
final class Messages {
  private Messages() {}

  static Notification of(Effect.Notify n, CiSettings settings) {
    Map<String, String> fields = new LinkedHashMap<>();
    Patch p = n.patch();
    String logUrl = n.runId() > 0 ? settings.runUrl(n.runId()) : null;
    return switch (n.outcome()) {
      case MERGED -> {
        fields.put("author", p.author());
        fields.put("branch", p.branch());
        fields.put("commit", p.commit());
        yield new Notification("Merged " + p.label(), "\"" + p.subject() + "\" by " + p.author() + " passed every step and is on master.",
            Level.SUCCESS, settings.patchUrl(p.id()), fields);
      }
      case REJECTED -> {
        fields.put("author", p.author());
        fields.put("branch", p.branch());
        fields.put("commit", p.commit());
        if (n.step() != null) {
          fields.put("failing step", n.step());
        }
        if (logUrl != null) {
          fields.put("log", logUrl);
        }
        String text = p.author() + ": \"" + p.subject() + "\" was rejected: " + n.detail()
            + (n.step() != null ? ". Failing step: " + n.step() : "") + (logUrl != null ? ". Log: " + logUrl : "");
        yield new Notification("Rejected " + p.label(), text, Level.FAILURE, logUrl != null ? logUrl : settings.patchUrl(p.id()), fields);
      }
      case STATE_FAILURE -> {
        fields.put("failing step", n.step());
        if (logUrl != null) {
          fields.put("log", logUrl);
        }
        yield new Notification("master is broken", n.detail() + "; the queue is paused." + (logUrl != null ? " Log: " + logUrl : ""), Level.FAILURE,
            logUrl != null ? logUrl : settings.publicUrl() + "/ci", fields);
      }
    };
  }
}
