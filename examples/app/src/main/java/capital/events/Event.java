package capital.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored event: the schema version it was written with, when, its type, the user it
 * concerns and free fields. Stored as one line of flat JSON (string values only), which
 * {@link #parse} reads back.
 *
 * <pre>{@code
 * Event e = Event.now("UserLoggedIn", "alice@example.com", Map.of());
 * Event.parse(e.toJson()).equals(e); // true
 * }</pre>
 */
public record Event(int schema, Instant at, String type, String user, Map<String, String> fields) {
  public Event {
    if (type == null || !type.matches("[A-Z][A-Za-z]{0,63}")) {
      throw new IllegalArgumentException("event type must be a CamelCase word, got " + type);
    }
    user = user == null ? "" : user;
    fields = Map.copyOf(fields == null ? Map.of() : fields);
  }

  public static Event now(String type, String user, Map<String, String> fields) {
    return new Event(Schema.VERSION, Instant.now(), type, user, fields);
  }

  public Event withUser(String other) {
    return new Event(schema, at, type, other, fields);
  }

  public String toJson() {
    StringBuilder b = new StringBuilder("{");
    field(b, "schema", Integer.toString(schema));
    field(b, "at", at.toString());
    field(b, "type", type);
    field(b, "user", user);
    fields.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> field(b, e.getKey(), e.getValue()));
    return b.append('}').toString();
  }

  /** Reads a line written by {@link #toJson}; a line it cannot read is an error naming what is wrong. */
  public static Event parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    int i = expect(line, 0, '{');
    while (i < line.length() && line.charAt(i) != '}') {
      if (!m.isEmpty()) {
        i = expect(line, i, ',');
      }
      StringBuilder key = new StringBuilder();
      i = string(line, i, key);
      i = expect(line, i, ':');
      StringBuilder value = new StringBuilder();
      i = string(line, i, value);
      m.put(key.toString(), value.toString());
    }
    expect(line, i, '}');
    String schema = m.remove("schema");
    String at = m.remove("at");
    String type = m.remove("type");
    String user = m.remove("user");
    if (schema == null || at == null || type == null) {
      throw new IllegalArgumentException("event without schema, at or type: " + line);
    }
    return new Event(Integer.parseInt(schema), Instant.parse(at), type, user, m);
  }

  private static void field(StringBuilder b, String k, String v) {
    if (b.length() > 1) {
      b.append(',');
    }
    quote(b, k);
    b.append(':');
    quote(b, v);
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static int expect(String s, int i, char c) {
    if (i >= s.length() || s.charAt(i) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at column " + (i + 1) + " of: " + s);
    }
    return i + 1;
  }

  private static int string(String s, int i, StringBuilder out) {
    i = expect(s, i, '"');
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c == '\\' && i < s.length()) {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> out.append(e);
        }
      } else {
        out.append(c);
      }
    }
    return expect(s, i, '"');
  }
}
