package dev.gantry.core.notify;

import java.net.URI;

/** Webhook URLs carry their secret in the path: only the host may be shown. */
final class Redact {
  private Redact() {}

  /** {@code kind (host)}, e.g. {@code slack (hooks.slack.com)}. */
  static String describe(String kind, URI target) {
    return kind + " (" + target.getHost() + ")";
  }

  /** {@code text} with the URL, its path and query replaced, for exception messages. */
  static String scrub(String text, URI target) {
    if (text == null) {
      return "";
    }
    String out = text.replace(target.toString(), target.getHost());
    if (target.getRawPath() != null && target.getRawPath().length() > 1) {
      out = out.replace(target.getRawPath(), "/…");
    }
    if (target.getRawQuery() != null) {
      out = out.replace(target.getRawQuery(), "…");
    }
    return out;
  }
}
