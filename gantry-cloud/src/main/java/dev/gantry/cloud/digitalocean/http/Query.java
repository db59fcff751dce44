package dev.gantry.cloud.digitalocean.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds paths with encoded segments and query values. */
public final class Query {
  private Query() {}

  /** One path segment, percent-encoded ({@code "web 1"} becomes {@code "web%201"}). */
  public static String segment(String value) {
    // ':' and '@' are legal in a path segment (RFC 3986 pchar) and appear in tags like env:prod
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":").replace("%40", "@");
  }

  /** {@code path?name=value} with the value encoded. */
  public static String with(String path, String name, String value) {
    return path + (path.contains("?") ? "&" : "?") + name + "=" + segment(value);
  }
}
