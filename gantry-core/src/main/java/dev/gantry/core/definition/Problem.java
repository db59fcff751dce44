package dev.gantry.core.definition;

import java.nio.file.Path;

/**
 * One thing wrong with a definition, where it is.
 *
 * @param file the source file (or folder) as the user named it
 * @param line 1-based, or 0 when the problem is not at a line
 * @param column 1-based, or 0 when unknown
 */
public record Problem(Path file, long line, long column, String message) {

  /** {@code file:line:col: message}, leaving out what is unknown. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file.toString());
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(message).toString();
  }
}
