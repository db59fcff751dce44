package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import java.util.regex.Pattern;

/**
 * System locale.
 *
 * <pre>{@code
 * Locale.defaultIs("en_US.UTF-8")
 * }</pre>
 */
public final class Locale {
  private Locale() {}

  /** The locale is generated and is the system default ({@code LANG} in /etc/default/locale). */
  public static Property defaultIs(String locale) {
    if (!locale.matches("[A-Za-z]{2,3}_[A-Z]{2}(@\\w+)?\\.[A-Za-z0-9-]+")) {
      throw new DefinitionError("locale '" + locale + "' must look like en_US.UTF-8");
    }
    String charset = locale.substring(locale.indexOf('.') + 1);
    String genLine = locale + " " + charset;
    String normalized = locale.substring(0, locale.indexOf('.') + 1) + charset.toLowerCase().replace("-", "");
    return Props.sequence("default locale " + locale,
        File.hasLineMatching("/etc/locale.gen", "^#?\\s*" + Pattern.quote(genLine) + "\\s*$", genLine),
        Props.checked("locale " + locale + " generated", ctx ->
            Check.holdsIf(ctx.target().run("locale", "-a").stdout().lines().anyMatch(l -> l.equals(normalized)),
                "locale-gen"),
            (ctx, c) -> Run.must(ctx.target(), "locale-gen")),
        File.hasLineMatching("/etc/default/locale", "^\\s*LANG=", "LANG=" + locale));
  }
}
