package dev.gantry.deploy.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gantry.core.json.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/** YAML output for generated files: every string quoted, so no value changes type on reading. */
final class Yaml {
  /** Core's YAML, quoting every string: a generated file's {@code "yes"} or {@code "010"} stays a string for its reader. */
  private static final ObjectWriter WRITER = Json.yaml().writer().without(YAMLGenerator.Feature.MINIMIZE_QUOTES);

  private Yaml() {}

  static String write(Object tree) {
    try {
      return WRITER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads YAML written by {@link #write} (or by hand) back into maps and lists. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(String text) {
    try {
      Object tree = Json.yaml().readValue(text, Object.class);
      return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compose duration syntax: {@code 5s}, {@code 1500ms}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
