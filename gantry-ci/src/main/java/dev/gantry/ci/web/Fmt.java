package dev.gantry.ci.web;

import dev.gantry.core.web.Html;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Small formatting helpers for the CI pages. */
final class Fmt {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Fmt() {}

  /**
   * An instant as {@code <time datetime="...">} with the exact UTC time as its text; the shared
   * script shows it relative ("3 min ago"), exact in the viewer's zone on hover.
   */
  static String time(Instant t) {
    return t == null ? "" : "<time datetime=\"" + t + "\">" + TIME.format(t) + "</time>";
  }

  static String duration(Instant from, Instant to) {
    if (from == null) {
      return "";
    }
    return millis(Duration.between(from, to == null ? Instant.now() : to).toMillis());
  }

  static String millis(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    long s = ms / 1000;
    return s < 120 ? s + "." + (ms % 1000) / 100 + " s" : s / 60 + " min " + s % 60 + " s";
  }

  static String sha(String sha) {
    return sha == null ? "" : "<code>" + Html.escape(sha.substring(0, Math.min(10, sha.length()))) + "</code>";
  }

  /** A coloured label for a state or status. */
  static String badge(Object state) {
    String s = String.valueOf(state).toLowerCase();
    return "<span class=\"ci-badge ci-" + Html.escape(s) + "\">" + Html.escape(s) + "</span>";
  }

  static String link(String href, Object text) {
    return "<a href=\"" + Html.escape(href) + "\">" + Html.escape(text) + "</a>";
  }

  /** A POST button; the server's admin check applies to it. */
  static String button(String action, String label, String extraField) {
    return "<form class=\"ci-inline\" method=\"post\" action=\"" + Html.escape(action) + "\">" + extraField
        + "<button type=\"submit\">" + Html.escape(label) + "</button></form>";
  }
}
