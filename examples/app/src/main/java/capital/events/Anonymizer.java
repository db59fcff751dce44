package capital.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes production data safe for staging: every e-mail address, in the user field or any
 * other, becomes {@code user-<hash>@example.invalid}. The same address always gives the same
 * stand-in, so a user's events still belong together; no address survives.
 *
 * <pre>{@code
 * new Anonymizer().apply(event).user(); // "user-1f0c2a9b@example.invalid"
 * }</pre>
 */
public final class Anonymizer {
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  public Event apply(Event e) {
    Map<String, String> fields = new LinkedHashMap<>();
    e.fields().forEach((k, v) -> fields.put(k, scrub(v)));
    return new Event(e.schema(), e.at(), e.type(), scrub(e.user()), fields);
  }

  String scrub(String s) {
    return EMAIL.matcher(s).replaceAll(m -> standIn(m.group()));
  }

  private static String standIn(String email) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(email.toLowerCase().getBytes(StandardCharsets.UTF_8));
      return "user-" + HexFormat.of().formatHex(h, 0, 4) + "@example.invalid";
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
