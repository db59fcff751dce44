package dev.gantry.deploy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the public specifications in {@code shared/specs} beside (or above) the checkout. */
public final class Specs {
  private Specs() {}

  public static Path composeSchema() {
    return find("compose-spec/compose-spec.json");
  }

  static Path find(String relative) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("shared/specs").resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new AssertionError("shared/specs/" + relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
