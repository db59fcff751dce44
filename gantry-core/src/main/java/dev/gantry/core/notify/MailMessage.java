package dev.gantry.core.notify;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An RFC 5322 message for a notification, with CRLF line ends, before dot-stuffing. */
final class MailMessage {
  private static final int MAX_LINE = 998;

  private MailMessage() {}

  static String format(Notification n, String from, List<String> to, ZonedDateTime date, String domain) {
    StringBuilder m = new StringBuilder();
    header(m, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date));
    header(m, "From", from);
    header(m, "To", String.join(", ", to));
    header(m, "Subject", encodeWord(oneLine("[" + n.level() + "] " + n.title())));
    header(m, "Message-ID", "<" + UUID.randomUUID() + "@" + domain + ">");
    header(m, "MIME-Version", "1.0");
    header(m, "Content-Type", "text/plain; charset=UTF-8");
    String body = body(n);
    boolean plain = body.chars().allMatch(c -> c < 128) && body.lines().allMatch(l -> l.length() <= MAX_LINE);
    header(m, "Content-Transfer-Encoding", plain ? "7bit" : "base64");
    m.append("\r\n");
    if (plain) {
      body.lines().forEach(l -> m.append(l).append("\r\n"));
    } else {
      m.append(Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\r\n");
    }
    return m.toString();
  }

  private static String body(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append(n.title()).append("\n");
    if (!n.text().isEmpty()) {
      b.append("\n").append(n.text()).append("\n");
    }
    if (!n.fields().isEmpty()) {
      b.append("\n");
      for (Map.Entry<String, String> f : n.fields().entrySet()) {
        b.append(f.getKey()).append(": ").append(f.getValue()).append("\n");
      }
    }
    if (n.url() != null) {
      b.append("\n").append(n.url()).append("\n");
    }
    return b.toString();
  }

  private static void header(StringBuilder m, String name, String value) {
    m.append(name).append(": ").append(value).append("\r\n");
  }

  /** Header values are one line: a CR or LF would start a header of the sender's choosing. */
  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  /** RFC 2047 encoded words for non-ASCII text, cut at character boundaries, folded. */
  static String encodeWord(String s) {
    if (s.chars().allMatch(c -> c >= 32 && c < 127)) {
      return s;
    }
    List<String> words = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      String c = new String(Character.toChars(cp));
      int len = c.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > 39) { // 39 bytes -> 52 base64 characters: even after "Subject: " a line stays under 78
        words.add(chunk.toString());
        chunk.setLength(0);
        bytes = 0;
      }
      chunk.append(c);
      bytes += len;
      i += Character.charCount(cp);
    }
    words.add(chunk.toString());
    List<String> encoded = new ArrayList<>();
    for (String w : words) {
      encoded.add("=?UTF-8?B?" + Base64.getEncoder().encodeToString(w.getBytes(StandardCharsets.UTF_8)) + "?=");
    }
    return String.join("\r\n ", encoded);
  }

  /** SMTP's transparency rule: a line starting with '.' gets one more (RFC 5321, 4.5.2). */
  static String dotStuff(String message) {
    StringBuilder out = new StringBuilder(message.length() + 16);
    boolean lineStart = true;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (lineStart && c == '.') {
        out.append('.');
      }
      out.append(c);
      lineStart = c == '\n';
    }
    return out.toString();
  }
}
