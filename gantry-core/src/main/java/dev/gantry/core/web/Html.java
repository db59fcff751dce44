package dev.gantry.core.web;

/** HTML escaping for server-rendered pages: {@code "<td>" + Html.escape(name) + "</td>"}. */
public final class Html {
  private Html() {}

  /** Escapes text for use in element content and quoted attribute values. */
  public static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
