package dev.gantry.core.process;

import java.util.List;
import java.util.regex.Pattern;

/** Shows arguments the way a shell would read them back, for messages and logs. */
final class ShellWords {
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private ShellWords() {}

  /** E.g. {@code git commit -m 'it'\''s done'}. */
  static String join(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(PLAIN_WORD.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
