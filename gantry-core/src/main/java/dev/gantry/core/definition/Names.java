package dev.gantry.core.definition;

import java.util.regex.Pattern;

/**
 * The one rule for names in a definition (hosts, systems, services, volumes, steps,
 * monitoring rules, run-once flags, cron jobs, vault entries...): letters, digits,
 * {@code '.'}, {@code '_'} and {@code '-'}, starting with a letter or digit, at most 128
 * characters. Such a name is safe as a file name, a shell word, a URL segment and a YAML
 * key, which is where Gantry puts them.
 *
 * <pre>{@code
 * String step = Names.require("step", name);   // "compile", "ui-test", "ci.example.com"
 * Names.require("rule", "a/b");                // DefinitionError: invalid rule name 'a/b' (no '/'): use ...
 * }</pre>
 *
 * <p>Where a name also becomes a name in another tool with a narrower rule (a Docker
 * Compose project, a file in {@code /etc/cron.d}), the caller adds that tool's rule after
 * this one and says why.
 */
public final class Names {
  /** The pattern every name matches. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** The longest name. */
  public static final int MAX_LENGTH = 128;
  /** The rule in words, as messages end. */
  public static final String RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit,"
      + " at most " + MAX_LENGTH + " characters";

  private Names() {}

  /** Whether {@code name} follows the rule. */
  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /**
   * {@code name} when it follows the rule, else a {@link DefinitionError} saying which
   * {@code kind} of name is wrong and why, e.g.
   * {@code "invalid step name 'unit test' (no spaces): use letters, digits, ..."}.
   */
  public static String require(String kind, String name) {
    if (!isValid(name)) {
      throw new DefinitionError("invalid " + kind + " name '" + name + "' (" + why(name) + "): " + RULE);
    }
    return name;
  }

  /** What is wrong with a name the rule refuses, in a few words: {@code "no spaces"}, {@code "no '/'"}. */
  public static String why(String name) {
    if (name == null || name.isEmpty()) {
      return "it is empty";
    }
    if (name.length() > MAX_LENGTH) {
      return name.length() + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
      if (!plain) {
        return Character.isWhitespace(c) ? "no spaces" : "no '" + name.substring(i, name.offsetByCodePoints(i, 1)) + "'";
      }
    }
    return "it starts with '" + name.charAt(0) + "'";
  }
}
