package dev.gantry.deploy.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The public specifications the tests validate against, vendored in this module's test
 * resources under {@code specs/} (each folder has a README naming source, version and licence).
 */
public final class Specs {
  private Specs() {}

  /** The Compose Specification's JSON schema. */
  public static Path composeSchema() {
    return find("compose-spec/compose-spec.json");
  }

  static Path find(String relative) {
    String resource = "/specs/" + relative;
    URL url = Specs.class.getResource(resource);
    if (url == null || !url.getProtocol().equals("file")) {
      throw new AssertionError(resource + " is not a file on the test class path (" + url + ")");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
