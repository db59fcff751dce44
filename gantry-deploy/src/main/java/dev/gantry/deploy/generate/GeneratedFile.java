package dev.gantry.deploy.generate;

import java.nio.charset.StandardCharsets;

/**
 * A file Gantry writes on a host, relative to the system's folder.
 *
 * @param secret written with mode 0600 and never printed
 */
public record GeneratedFile(String relativePath, String content, boolean secret) {
  public byte[] bytes() {
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
