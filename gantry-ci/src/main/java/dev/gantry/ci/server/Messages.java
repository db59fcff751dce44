package dev.gantry.ci.server;

import dev.gantry.ci.queue.Effect;
import dev.gantry.ci.queue.Patch;
import dev.gantry.core.notify.Notification;
import dev.gantry.core.notify.Notification.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Words for the outcomes the queue announces. */
final class Messages {
  /** How much of a failing run's log a message quotes: its last lines, so the reader sees why without a click. */
  static final int EXCERPT_LINES = 12;
  static final int EXCERPT_CHARS = 1500;

  private Messages() {}

  /** {@code log} is the failing run's log (empty when there is none). */
  static Notification of(Effect.Notify n, CiSettings settings, String log) {
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
            + (n.step() != null ? ". Failing step: " + n.step() : "") + (logUrl != null ? ". Log: " + logUrl : "")
            + excerpt(log);
        yield new Notification("Rejected " + p.label(), text, Level.FAILURE, logUrl != null ? logUrl : settings.patchUrl(p.id()), fields);
      }
      case STATE_FAILURE -> {
        fields.put("failing step", n.step());
        if (logUrl != null) {
          fields.put("log", logUrl);
        }
        yield new Notification("master is broken", n.detail() + "; the queue is paused." + (logUrl != null ? " Log: " + logUrl : "")
            + excerpt(log), Level.FAILURE,
            logUrl != null ? logUrl : settings.publicUrl() + "/ci", fields);
      }
      case UNSCHEDULABLE -> {
        fields.put("step", n.step());
        if (logUrl != null) {
          fields.put("run", logUrl);
        }
        yield new Notification("A step found no agent", n.detail() + "; its candidate failed. Start an agent that offers what the step "
            + "requires, or change the pipeline." + (logUrl != null ? " Run: " + logUrl : ""), Level.FAILURE,
            logUrl != null ? logUrl : settings.publicUrl() + "/ci/agents", fields);
      }
    };
  }

  /** The last lines of a log, as a block under the message; nothing when there is no log. */
  static String excerpt(String log) {
    List<String> lines = log.strip().lines().toList();
    if (lines.isEmpty()) {
      return "";
    }
    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - EXCERPT_LINES), lines.size()));
    if (tail.length() > EXCERPT_CHARS) {
      tail = "..." + tail.substring(tail.length() - EXCERPT_CHARS);
    }
    return "\n\nLast lines of the log:\n" + tail;
  }
}
